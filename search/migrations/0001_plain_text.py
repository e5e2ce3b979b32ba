"""PostgreSQL's side of the plain-text rule (oppms/plain.py): the unaccent and pg_trgm
extensions, the IMMUTABLE function oppms_plain(text) over unaccent, and a trigram GIN index on
the plain form of every field the navbar's search reads. SQLite needs none of it: it gets the
function from the connection (oppms.plain.register_sqlite_function)."""

from django.db import migrations

# (index name, table, column): search_<model>_<field>_plain.
INDEXES = [
    ("search_institution_name_plain", "institutions_institution", "name"),
    ("search_institution_acronym_plain", "institutions_institution", "acronym"),
    ("search_contact_name_plain", "institutions_contact", "name"),
    ("search_contact_position_plain", "institutions_contact", "position"),
    ("search_contact_email_plain", "institutions_contact", "email"),
    ("search_ally_name_plain", "allies_ally", "name"),
    ("search_ally_acronym_plain", "allies_ally", "acronym"),
    ("search_meeting_purpose_plain", "observance_meeting", "purpose"),
    ("search_meeting_outcomes_plain", "observance_meeting", "outcomes"),
    ("search_meeting_place_plain", "observance_meeting", "place"),
    ("search_informationrequest_subject_plain", "observance_informationrequest", "subject"),
    ("search_informationrequest_reference_plain", "observance_informationrequest", "reference"),
    ("search_evaluation_title_plain", "observance_evaluation", "title"),
    ("search_evaluation_findings_plain", "observance_evaluation", "findings"),
    ("search_publication_title_plain", "observance_publication", "title"),
    ("search_publication_summary_plain", "observance_publication", "summary"),
    ("search_publication_place_plain", "observance_publication", "place"),
    ("search_recommendation_text_plain", "observance_recommendation", "text"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        # Wherever the extensions live, the function names them with their schema: an index
        # expression must not depend on the search_path (pg_dump restores with an empty one).
        cursor.execute(
            "SELECT e.extname, n.nspname FROM pg_extension e "
            "JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname IN ('unaccent', 'pg_trgm')"
        )
        schemas = dict(cursor.fetchall())
        unaccent = schema_editor.quote_name(schemas["unaccent"])
        trgm = schema_editor.quote_name(schemas["pg_trgm"])
        # unaccent(text) is only STABLE (it reads the search_path); naming its dictionary
        # makes the result depend on the text alone, which an index requires.
        cursor.execute(
            "CREATE OR REPLACE FUNCTION oppms_plain(text) RETURNS text "
            "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS "
            f"$$ SELECT lower({unaccent}.unaccent('{unaccent}.unaccent'::regdictionary, $1)) $$"
        )
        for name, table, column in INDEXES:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                f"USING gin (oppms_plain({column}) {trgm}.gin_trgm_ops)"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, _table, _column in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        cursor.execute("DROP FUNCTION IF EXISTS oppms_plain(text)")
        # The extensions stay: other things in the database may use them.


class Migration(migrations.Migration):
    dependencies = [
        ("institutions", "0001_initial"),
        ("allies", "0002_ally_allied_on"),
        ("observance", "0003_public_portal"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
