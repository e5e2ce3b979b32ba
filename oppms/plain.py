"""Plain text: the one rule by which every search of OPPMS compares text.

A text's plain form has its accents and other marks taken off and is lower-cased, so that
"educacion", "EDUCACIÓN" and "Educación" are the same search. The rule is PostgreSQL's
``unaccent`` (its standard ``unaccent.rules``) followed by ``lower``. It runs in the database as
the function ``oppms_plain(text)``:

- on PostgreSQL, an IMMUTABLE SQL function over the ``unaccent`` extension, created with the
  extensions and the trigram indexes on the searched expressions by ``search/migrations``;
- on SQLite, :func:`plain` below, registered on every connection. It applies a copy of
  PostgreSQL 15's ``unaccent.rules`` (``oppms/unaccent.rules``, PostgreSQL License), so that
  both databases find the same records; ``tests/search`` checks the two agree character by
  character. (Unicode's NFKD decomposition would differ from ``unaccent`` on "¿", "º", "æ",
  "ø", "ł" and some hundred more.)

Searches use the ``plain`` transform, which is applied to both sides of a lookup:
``Q(name__plain__contains="educacion")``, or :func:`plain_search` over several fields.
"""

import operator
from functools import reduce
from pathlib import Path

from django.db.backends.signals import connection_created
from django.db.models import F, Q, Transform, Value
from django.db.models.constants import LOOKUP_SEP
from django.db.models.fields import CharField, TextField
from django.db.models.lookups import Contains, Exact, StartsWith

FUNCTION = "oppms_plain"
RULES = Path(__file__).with_name("unaccent.rules")
MAX_SEARCH_LENGTH = 100


def _rules():
    table = {}
    for line in RULES.read_text(encoding="utf-8").splitlines():
        source, *target = line.split()
        table[ord(source)] = target[0] if target else ""
    return table


TABLE = _rules()


def plain(text):
    """``text`` without accents, lower-cased: ``unaccent`` then ``lower``, as PostgreSQL does."""
    if text is None:
        return None
    return str(text).translate(TABLE).lower()


class Plain(Transform):
    """``field__plain``: the field's plain text. Bilateral, so the searched value is folded by
    the same function in the same database before it is compared (and escaped for LIKE)."""

    lookup_name = "plain"
    function = FUNCTION
    bilateral = True


CharField.register_lookup(Plain)
TextField.register_lookup(Plain)


class PlainUnindexed(Transform):
    """The same plain text, for an expression no index serves (a rank computed on every hit).

    PostgreSQL cannot inline ``oppms_plain`` (``unaccent`` is only STABLE, the function
    IMMUTABLE) and calls it three times slower than its body written out, which this writes.
    Compare it with a value folded by :class:`Plain`, which PostgreSQL folds once per query.
    """

    function = FUNCTION

    def as_postgresql(self, compiler, connection, **extra):
        template = "lower(unaccent('unaccent'::regdictionary, %(expressions)s))"
        return self.as_sql(compiler, connection, template=template, **extra)


def plain_q(fields, text, lookup="contains", *, indexed=True):
    """Records with ``text`` in any of ``fields``, fields of the model itself.

    ``indexed``: compare through ``oppms_plain``, whose trigram indexes PostgreSQL combines
    over an OR of such conditions. Where no index can serve (an expression computed on rows
    already found, as a rank, or an OR with a condition no index serves), ``indexed=False``
    writes each field's plain text out instead (:class:`PlainUnindexed`).
    """
    if indexed:
        return reduce(
            operator.or_, (Q(**{f"{field}__plain__{lookup}": text}) for field in fields), Q()
        )
    value = Plain(Value(text))
    lookup_class = {"contains": Contains, "startswith": StartsWith, "exact": Exact}[lookup]
    return reduce(
        operator.or_, (Q(lookup_class(PlainUnindexed(F(field)), value)) for field in fields), Q()
    )


def plain_match(model, fields, text):
    """Records of ``model`` with ``text`` in one of ``fields``, paths such as
    ``institution__name`` included.

    A path across a relation becomes ``institution__in=<institutions matching>``: its
    subquery uses the related table's own indexes and is computed once, where a join would
    make PostgreSQL compute every related name's plain text again on every row.
    """
    direct = [field for field in fields if LOOKUP_SEP not in field]
    related = {}
    for field in fields:
        if LOOKUP_SEP in field:
            head, rest = field.split(LOOKUP_SEP, 1)
            related.setdefault(head, []).append(rest)
    condition = plain_q(direct, text, indexed=not related)
    for head, paths in related.items():
        target = model._meta.get_field(head).related_model
        matching = target._default_manager.filter(plain_match(target, paths, text))
        condition |= Q(**{f"{head}__in": matching.values("pk")})
    return condition


def plain_search(queryset, fields, text):
    """The records of ``queryset`` with ``text`` in one of ``fields``, blind to accents and
    case. An empty ``text`` leaves the queryset as it is."""
    # A NUL character cannot reach PostgreSQL; nobody searches for one.
    text = (text or "").replace("\x00", "").strip()
    if not text:
        return queryset
    return queryset.filter(plain_match(queryset.model, fields, text))


def register_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 1, plain, deterministic=True)


def connect():
    connection_created.connect(register_sqlite_function, dispatch_uid="oppms-plain-text")
