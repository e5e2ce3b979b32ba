"""The kinds of record the navbar's search reads, each with its searched fields and its list.

A kind's ``fields`` are those the search matches (each has a trigram index on PostgreSQL:
search/migrations); they are among the fields its list's own search box reads, so "ver todos"
shows at least every hit. ``order`` breaks ties within a rank, ending with the primary key so
that the order is the same on both databases.

The best hits of the kinds with ``many`` records (meetings, requests) are found rank by rank
(:meth:`Kind.ranked`), so that their cost does not grow with the number of records that match:
sorting every match by its rank, as the rank's definition reads, costs as many rank
computations as there are matches (50,000 meetings begin with "Bench" in bench/pages.py's
data: 380 ms, against under 1 ms rank by rank).
"""

import functools
from dataclasses import dataclass, field

from django.db import connections, router
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Left
from django.db.models.lookups import Exact, StartsWith
from django.utils.translation import gettext_lazy as _

from allies.models import Ally
from institutions.models import Contact, Institution
from observance.models import Evaluation, InformationRequest, Meeting, Publication, Recommendation
from oppms.plain import MAX_SEARCH_LENGTH, Plain, PlainUnindexed, plain_q
from oppms.record_access import view_permission

# How many first characters of each searched field's plain text the prefix indexes hold
# (search/migrations): a field that is, or begins with, the search begins with its first
# characters, so an index on them finds the candidates however long the field is (a btree
# entry has a size limit; a meeting's outcomes have none).
INDEXED_PREFIX = MAX_SEARCH_LENGTH

# Stand-ins in a kind's SQL, which is written once for every search (ranked_sql): swapped at
# each search for the text searched (nobody types a NUL), how many of the best records the
# ranks must find, and the page's size and offset.
TEXT_MARK = "\x00search text\x00"
WANTED, LIMIT, OFFSET = object(), object(), object()


@dataclass(frozen=True)
class Kind:
    key: str  # its ?tipo= in the URL
    model: type
    label: str
    fields: tuple
    order: tuple
    list_url: str | None = None  # the list whose ?q= searches these fields; else this page
    related: tuple = field(default=())
    # Records that accumulate by the thousand over the years: their best hits are looked for
    # rank by rank. The others (hundreds at most) are all ranked and sorted, which costs
    # PostgreSQL less than planning four ranks' queries.
    many: bool = False

    @property
    def permission(self):
        return view_permission(self.model)

    def matches(self, text):
        """Every record of the kind that matches ``text``, in no order (to count them)."""
        return self.model.objects.filter(plain_q(self.fields, text))

    def ranked(self, text, offset, limit):
        """The matches of ``text`` from ``offset``, at most ``limit`` of them, best first (see
        :func:`rank`), each with its ``related`` records; one query whatever it finds.

        For a kind of ``many`` records, the records of each rank are looked for in turn, each
        rank's in the kind's order, and a rank is not read once the better ones have filled
        the page: an index finds the records that are or begin with the search (its prefix
        index), a trigram index those where a word begins with it or it lies elsewhere, or the
        kind's order is walked until enough are found, whichever PostgreSQL judges cheaper.
        Only the page's records are ranked again, to sort them, and joined to their related
        records. A queryset.
        """
        db = router.db_for_read(self.model)
        # The raw SQL (bandit's B611) is the ORM compiler's; the text is always a parameter.
        ids_sql, ids_params, rank_sql, rank_params = ranked_sql(self.key, db)
        numbers = {WANTED: offset + limit, LIMIT: limit, OFFSET: offset}
        return (
            self.model.objects.using(db)
            .filter(pk__in=RawSQL(ids_sql, bind(ids_params, text, numbers)))  # nosec B611
            .annotate(
                search_rank=RawSQL(rank_sql, bind(rank_params, text, numbers), IntegerField())  # nosec B611
            )
            .select_related(*self.related)
            .order_by("search_rank", *self.order)
        )


@functools.cache
def ranked_sql(key, db):
    """The SQL of the ids :meth:`Kind.ranked` reads and of the rank that sorts them, with the
    stand-ins for what each search sets: Django takes longer to write a rank's SQL than the
    database takes to run it.

    Rank by rank: ``WITH search_rank_0 AS (<its records in the kind's order> LIMIT <wanted>),
    search_rank_1 AS (... LIMIT <wanted> - <found in rank 0>), ...``; a LIMIT of 0 reads
    nothing. Then the page, out of the records found. For a kind of few records, the page of
    every match sorted by rank.
    """
    # Made of the ORM compiler's SQL and quoted names (bandit's B608): the searched text is
    # never in it, only in the parameters.
    kind = BY_KEY[key]
    query = kind.model.objects.using(db).all().query
    rank_sql, rank_params = query.get_compiler(db).compile(
        rank(kind.fields, TEXT_MARK).resolve_expression(query)
    )
    if not kind.many:
        every_match_sql, params = (
            kind.matches(TEXT_MARK)
            .using(db)
            .annotate(search_rank=rank(kind.fields, TEXT_MARK))
            .order_by("search_rank", *kind.order)
            .values_list("pk")
            .query.sql_with_params()
        )
        ids_sql = f"SELECT * FROM ({every_match_sql} LIMIT %s OFFSET %s) AS search_ranked"  # nosec B608
        return ids_sql, (*params, LIMIT, OFFSET), rank_sql, tuple(rank_params)
    quote = connections[db].ops.quote_name
    pk = kind.model._meta.pk
    # Each rank's records carry the kind's order's columns, named as the columns are ("pk"
    # would be named "pk"), to sort the records found; the order ends with the primary key.
    order_fields = [name.removeprefix("-") for name in kind.order]
    order_fields = [pk.name if name == "pk" else name for name in order_fields]
    steps, params = [], []
    for number in RANKS:
        # A rank is read only when the better ones found fewer records than wanted, that is
        # all of theirs: its records are those it matches that they did not find.
        better = " UNION ALL ".join(
            f"SELECT {quote(pk.column)} FROM {quote(f'search_rank_{rank_above}')}"  # nosec B608
            for rank_above in range(number)
        )
        step = kind.model.objects.using(db).filter(rank_match_q(kind.fields, number, TEXT_MARK))
        if better:
            step = step.exclude(pk__in=RawSQL(better, ()))  # nosec B611
        step_sql, step_params = (
            step.order_by(*kind.order).values_list(*order_fields).query.sql_with_params()
        )
        found_before = "".join(
            f" - (SELECT COUNT(*) FROM {quote(f'search_rank_{rank_above}')})"  # nosec B608
            for rank_above in range(number)
        )
        steps.append(f"{quote(f'search_rank_{number}')} AS ({step_sql} LIMIT %s{found_before})")
        params += [*step_params, WANTED]
    found = " UNION ALL ".join(
        f"SELECT {number} AS search_rank, {quote(f'search_rank_{number}')}.* "  # nosec B608
        f"FROM {quote(f'search_rank_{number}')}"
        for number in RANKS
    )
    order = ", ".join(
        f"{position} {'DESC' if name.startswith('-') else 'ASC'}"
        for position, name in enumerate(kind.order, start=2)
    )
    ids_sql = (
        f"WITH {', '.join(steps)} "  # nosec B608
        f"SELECT search_ranked.{quote(pk.column)} "
        f"FROM ({found} ORDER BY 1, {order} LIMIT %s OFFSET %s) AS search_ranked"
    )
    params += [LIMIT, OFFSET]
    return ids_sql, tuple(params), rank_sql, tuple(rank_params)


def bind(params, text, numbers):
    """``params`` with the text searched and the numbers for :data:`TEXT_MARK` and the other
    stand-ins."""
    return [
        param.replace(TEXT_MARK, text) if isinstance(param, str) else numbers.get(param, param)
        for param in params
    ]


RANKS = range(4)


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


def rank_match_q(fields, number, text):
    """Records among which are all those whose :func:`rank` is ``number``, and none of a worse
    rank, written as an index reads them: the others are of a better rank."""
    if number == 0:
        return prefix_q(fields, text, Exact)
    if number == 1:
        return prefix_q(fields, text, StartsWith)
    if number == 2:
        return plain_q(fields, f" {text}")
    return plain_q(fields, text)


def prefix_q(fields, text, lookup):
    """A field that is (``Exact``) or begins with (``StartsWith``) ``text``: the comparison of
    the first :data:`INDEXED_PREFIX` characters, which the prefix indexes answer, and the
    whole one."""
    return functools.reduce(
        Q.__or__,
        (
            Q(
                lookup(
                    Left(Plain(F(name)), INDEXED_PREFIX), Left(Plain(Value(text)), INDEXED_PREFIX)
                ),
                lookup(PlainUnindexed(F(name)), Plain(Value(text))),
            )
            for name in fields
        ),
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
        many=True,
    ),
    Kind(
        "solicitudes",
        InformationRequest,
        _("Information requests"),
        ("subject", "reference"),
        ("-sent_on", "-pk"),
        "observance:request-list",
        ("institution",),
        many=True,
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
