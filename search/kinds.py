"""The kinds of record the navbar's search reads, each with its searched fields and its list.

A kind's ``fields`` are those the search matches (each has a trigram index on PostgreSQL:
search/migrations); they are among the fields its list's own search box reads, so "ver todos"
shows at least every hit. ``order`` breaks ties within a rank, ending with the primary key so
that the order is the same on both databases.
"""

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from allies.models import Ally
from institutions.models import Contact, Institution
from observance.models import Evaluation, InformationRequest, Meeting, Publication, Recommendation
from oppms.plain import plain_q
from oppms.record_access import view_permission


@dataclass(frozen=True)
class Kind:
    key: str  # its ?tipo= in the URL
    model: type
    label: str
    fields: tuple
    order: tuple
    list_url: str | None = None  # the list whose ?q= searches these fields; else this page
    related: tuple = field(default=())

    @property
    def permission(self):
        return view_permission(self.model)

    def hits(self, text):
        """The kind's records matching ``text``, best first (see :func:`rank`)."""
        return (
            self.model.objects.filter(plain_q(self.fields, text))
            .annotate(search_rank=rank(self.fields, text))
            .select_related(*self.related)
            .order_by("search_rank", *self.order)
        )


def rank(fields, text):
    """0 when a field is the search itself, 1 when one begins with it, 2 when a word of one
    (after a space) begins with it, 3 when it lies elsewhere; all blind to accents and case."""
    return Case(
        When(plain_q(fields, text, "exact", indexed=False), then=Value(0)),
        When(plain_q(fields, text, "startswith", indexed=False), then=Value(1)),
        When(plain_q(fields, f" {text}", indexed=False), then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


KINDS = [
    Kind(
        "instituciones",
        Institution,
        _("Institutions"),
        ("name", "acronym"),
        ("name", "pk"),
        "institutions:institution-list",
    ),
    Kind(
        "contactos",
        Contact,
        _("Contacts"),
        ("name", "position", "email"),
        ("name", "pk"),
        related=("institution",),
    ),
    Kind("aliados", Ally, _("Allies"), ("name", "acronym"), ("name", "pk"), "allies:ally-list"),
    Kind(
        "reuniones",
        Meeting,
        _("Meetings"),
        ("purpose", "outcomes", "place"),
        ("-held_at", "-pk"),
        "observance:meeting-list",
        ("institution", "ally"),
    ),
    Kind(
        "solicitudes",
        InformationRequest,
        _("Information requests"),
        ("subject", "reference"),
        ("-sent_on", "-pk"),
        "observance:request-list",
        ("institution",),
    ),
    Kind(
        "evaluaciones",
        Evaluation,
        _("Evaluations"),
        ("title", "findings"),
        ("-evaluated_on", "-pk"),
        "observance:evaluation-list",
    ),
    Kind(
        "publicaciones",
        Publication,
        _("Publications"),
        ("title", "summary", "place"),
        ("-published_on", "-pk"),
        "observance:publication-list",
    ),
    Kind(
        "recomendaciones",
        Recommendation,
        _("Recommendations"),
        ("text",),
        ("-proposed_on", "-pk"),
        "observance:recommendation-list",
        ("institution",),
    ),
]

BY_KEY = {kind.key: kind for kind in KINDS}
