"""The log of the tables each transaction wrote (oppms.write_log): a kept answer whose tables
nobody has written since holds without running its statements again; any write to one of them,
by whatever path (the ORM, raw SQL on another connection, a truncation), has it checked by its
rows; where the log cannot tell (pruned, or a relation without the trigger), so is it."""

import datetime

import psycopg2
import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from allies.models import Ally
from institutions.models import Institution
from observance.models import Meeting
from oppms import unchanged, write_log
from oppms.dated_counts import dated_count, start_of_today
from reports.builder import report_figures
from reports.periods import Period
from tests.allies.factories import make_ally
from tests.institutions.factories import make_institution, make_meeting

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a log kept by PostgreSQL"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("nothing_kept"),
]


def names(calls):
    def compute():
        calls.append(1)
        return (
            list(Institution.objects.order_by("pk").values_list("name", flat=True)),
            list(Ally.objects.order_by("pk").values_list("name", flat=True)),
        )

    return compute


def write_elsewhere():
    """A user added: a table no answer here reads."""
    users = get_user_model().objects
    users.create(username=f"lector{users.count()}")


def looked_up(*keys, compute, within=None):
    """The answers of ``keys`` looked up in one request, and the statements it ran besides
    reading the snapshot: ``(answers, log queries, other statements)``."""

    def work():
        return [unchanged.while_unchanged(key, compute, within=within) for key in keys]

    with CaptureQueriesContext(connection) as queries:
        answers = unchanged.SnapshotPerRequestMiddleware(lambda request: work())(None)
    run = [q["sql"] for q in queries if "pg_current_snapshot()::text" not in q["sql"]]
    logged = [sql for sql in run if write_log.LOG in sql]
    return answers, logged, [sql for sql in run if sql not in logged]


def in_2021_s1(calls):
    """The meetings of 2021's first semester, an answer that says it reads no others."""
    semester = Period(2021, 1)

    def compute():
        calls.append(1)
        held = Meeting.objects.filter(
            held_at__gte=semester.starts_at, held_at__lt=semester.ends_before
        )
        return sorted(held.values_list("purpose", flat=True))

    def looked_up_once():
        answers, logged, statements = looked_up(
            "2021-1",
            compute=compute,
            within={Meeting: ("held_at", semester.starts_at, semester.ends_before)},
        )
        return answers[0], len(logged), statements

    return looked_up_once


def test_an_answer_that_reads_some_dates_holds_while_the_meetings_written_have_others():
    """The dashboard's trend keeps the semesters already over apart (reports.trend): a meeting
    logged today, or moved within another semester, leaves them held without a statement."""
    calls = []
    looked_up_once = in_2021_s1(calls)
    make_meeting(make_institution(), held_on=datetime.date(2021, 3, 15), purpose="Marzo")
    assert looked_up_once()[0] == ["Marzo"] and len(calls) == 1
    later = make_meeting(make_institution(), held_on=datetime.date(2026, 11, 2), purpose="Hoy")
    assert looked_up_once() == (["Marzo"], 1, [])  # one look at the log, nothing else
    Meeting.objects.filter(pk=later.pk).update(held_at=F("held_at") + datetime.timedelta(days=9))
    later.delete()
    assert looked_up_once() == (["Marzo"], 1, []) and len(calls) == 1

    make_meeting(make_institution(), held_on=datetime.date(2021, 6, 30), purpose="Junio")
    assert looked_up_once()[0] == ["Junio", "Marzo"] and len(calls) == 2
    # Moved out of the semester (its old date is in it), then one moved in.
    Meeting.objects.filter(purpose="Junio").update(held_at=F("held_at") + datetime.timedelta(1))
    assert looked_up_once()[0] == ["Marzo"]
    Meeting.objects.filter(purpose="Junio").update(held_at=F("held_at") - datetime.timedelta(1))
    assert looked_up_once()[0] == ["Junio", "Marzo"]
    with transaction.atomic():  # a transaction that wrote dates on both sides of it
        make_meeting(make_institution(), held_on=datetime.date(2020, 12, 1), purpose="Antes")
        make_meeting(make_institution(), held_on=datetime.date(2026, 1, 2), purpose="Después")
    answer, _logged, statements = looked_up_once()
    assert answer == ["Junio", "Marzo"] and statements  # the log cannot vouch: run again


def test_a_past_semesters_report_reads_no_meeting_again_when_one_is_logged_after_its_cut_off():
    """The report of a semester already over (reports.builder) counts only the meetings held by
    its cut-off: one logged today leaves every section that reads meetings held through the log,
    the previous semester's included; one logged in the semester is counted at once."""

    def figures():
        with CaptureQueriesContext(connection) as queries:
            answer = unchanged.SnapshotPerRequestMiddleware(
                lambda _request: report_figures(period=Period(2021, 2))
            )(None)
        return answer, [q["sql"] for q in queries if '"observance_meeting"' in q["sql"]]

    institution = make_institution()
    make_meeting(institution, held_on=datetime.date(2021, 3, 15))
    make_meeting(institution, held_on=datetime.date(2021, 9, 15))
    first, _statements = figures()
    assert first["meetings"]["total"] == 1
    make_meeting(institution, held_on=datetime.date.today())
    assert figures() == (first, [])
    make_meeting(institution, held_on=datetime.date(2021, 10, 1))
    answer, statements = figures()
    assert answer["meetings"]["total"] == 2 and statements


def test_a_meeting_logged_counts_the_linkage_again_without_the_mapping_as_it_stood():
    """The mapping on the cut-off (the institutions' values then, from their history) is kept
    apart from the semester's meetings (reports.builder._mapping): a meeting logged counts in
    the linkage without the institutions' history read again."""
    semester = Period(2021, 1)

    def figures():
        with CaptureQueriesContext(connection) as queries:
            answer = unchanged.SnapshotPerRequestMiddleware(
                lambda _request: report_figures(period=semester)
            )(None)
        history = [q["sql"] for q in queries if "institutions_historicalinstitution" in q["sql"]]
        return answer["linkage"], history

    met, other = make_institution(), make_institution()
    make_meeting(met, held_on=datetime.date(2021, 3, 15))
    assert figures()[0]["numerator"] == 1
    make_meeting(other, held_on=datetime.date(2021, 4, 15))
    linkage, history_read = figures()
    assert (linkage["numerator"], linkage["denominator"], history_read) == (2, 2, [])


TODAY = datetime.date.today()
CURRENT = Period(TODAY.year, 1 if TODAY.month <= 6 else 2)
# On a semester's first day no meeting of it was held before today: nothing to keep apart.
needs_days_before_today = pytest.mark.skipif(
    TODAY == CURRENT.start, reason="the semester has no day before today yet"
)


def current_figures():
    """The current semester's figures as a request computes them, with the statements that
    count its meetings besides the checks of kept answers."""
    with CaptureQueriesContext(connection) as queries:
        answer = unchanged.SnapshotPerRequestMiddleware(
            lambda _request: report_figures(period=CURRENT)
        )(None)
    counting = [
        q["sql"]
        for q in queries
        if 'COUNT("observance_meeting"."id")' in q["sql"] and "sha256" not in q["sql"]
    ]
    return answer, counting


@needs_days_before_today
def test_a_meeting_logged_today_counts_the_current_semester_again_from_todays_meetings_alone():
    """The report of the current semester (reports.builder._meeting_parts): the meetings held
    before today are counted apart and hold through the log while the meetings logged are of
    today, as most are; the day's are counted again."""
    today_starts = psycopg2.extensions.adapt(start_of_today()).getquoted().decode()
    met_before, met_today = make_institution(), make_institution()
    make_meeting(met_before, held_on=CURRENT.start)
    first, _counting = current_figures()
    assert first["meetings"]["total"] == 1
    make_meeting(met_today, held_on=TODAY)
    answer, counting = current_figures()
    assert (answer["meetings"]["total"], answer["linkage"]["numerator"]) == (2, 2)
    assert counting and all(today_starts in sql for sql in counting)


@needs_days_before_today
def test_the_current_semester_counted_in_two_parts_gives_the_figures_of_the_whole(settings):
    """Counts add up, and the lists the parts merge (the institutions met, by meetings then by
    name as the database orders names; the CPCCS companions, the first ten so; the latest
    outcomes) are those one count of every meeting gives."""
    names = ["zorro", "Ágora", "agua", "Zeta", "Émbolo", "ábaco"]
    institutions = [make_institution(name=name, acronym="") for name in names]
    yesterday = max(TODAY - datetime.timedelta(days=1), CURRENT.start)
    for number, institution in enumerate(institutions):
        for day, companion in ((yesterday, "Ñandú"), (CURRENT.start, "alba"), (TODAY, "Óscar")):
            if (number + day.day) % 3:  # met 1 to 3 times, with ties between the two parts
                make_meeting(
                    institution,
                    held_on=day,
                    cpccs_companion=f"{companion} {number}",
                    outcomes=f"Acuerdo {number} del {day}",
                )

    def both():
        unchanged.forget()
        settings.KEEP_WHILE_UNCHANGED = False
        whole = report_figures(period=CURRENT)
        settings.KEEP_WHILE_UNCHANGED = True
        return current_figures()[0], whole

    in_parts, whole = both()
    assert len(whole["meetings"]["companions"]) == 10
    assert in_parts == whole
    # The part before today kept, today's counted again.
    make_meeting(institutions[0], held_on=TODAY, cpccs_companion="Abel", outcomes="Hoy")
    in_parts = current_figures()[0]
    settings.KEEP_WHILE_UNCHANGED = False
    assert in_parts == report_figures(period=CURRENT)
    assert in_parts["meetings"]["total"] == whole["meetings"]["total"] + 1


def test_a_meeting_logged_today_leaves_the_current_semesters_allies_unread():
    """On a day not over yet every ally without an alliance date stands, whatever its meetings
    (allies.standing): the current semester's allies and universities are not read again
    when a meeting is logged, only their meetings of the semester."""
    make_ally(name="Universidad de Hoy")
    assert current_figures()[0]["allies"]["total"] == 1
    make_meeting(make_institution(), held_on=TODAY)
    with CaptureQueriesContext(connection) as queries:
        answer = current_figures()[0]
    traced = [
        q["sql"] for q in queries if 'EXISTS(SELECT 1 AS "a" FROM "observance_meeting"' in q["sql"]
    ]
    assert (answer["allies"]["total"], answer["meetings"]["total"], traced) == (1, 1, [])


def test_a_meeting_logged_today_has_only_the_count_of_today_and_after_run_again():
    """The meetings list's count (oppms.dated_counts): the years before hold through the log."""

    def counted():
        def count(_request):
            return dated_count(Meeting.objects.filter(purpose__startswith="Reunión"))

        with CaptureQueriesContext(connection) as queries:
            total = unchanged.SnapshotPerRequestMiddleware(count)(None)
        return total, [query["sql"] for query in queries if "COUNT(" in query["sql"]]

    institution = make_institution()
    make_meeting(institution, held_on=datetime.date(2021, 3, 15), purpose="Reunión de marzo")
    assert counted()[0] == 1
    make_meeting(institution, held_on=datetime.date.today(), purpose="Reunión de hoy")
    total, statements = counted()
    # Checked, then counted again: today's part alone.
    assert total == 2 and statements
    assert not [sql for sql in statements if '"held_at" <' in sql or '"held_at" >=' not in sql]
    make_meeting(institution, held_on=datetime.date(2021, 4, 1), purpose="Reunión de abril")
    assert counted()[0] == 3


def test_every_table_has_the_trigger_that_logs_its_writes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE t.tgname = %s",
            (write_log.TRIGGER,),
        )
        logged = {name for (name,) in cursor.fetchall()}
    tables = set(connection.introspection.table_names()) - {write_log.LOG, write_log.HORIZON}
    assert {Institution._meta.db_table, "django_session", "auth_user"} <= tables
    assert tables - logged == set()


def test_answers_whose_tables_nobody_wrote_hold_without_running_their_statements():
    calls = []
    compute = names(calls)
    make_institution(name="Ministerio de Gobierno")
    make_ally(name="Universidad Central")
    # Kept in one request, under one snapshot (any write to the server, even to another
    # database, changes it).
    first, _same = looked_up("a", "b", compute=compute)[0]
    write_elsewhere()  # a table neither answer reads
    answers, logged, statements = looked_up("a", "b", compute=compute)
    assert answers == [first, first] and len(calls) == 2
    assert (len(logged), statements) == (1, [])  # one look at the log for both, nothing else

    Institution.objects.update(name=F("name"))  # written, the rows as they were
    answers, logged, statements = looked_up("a", "b", compute=compute)
    assert answers == [first, first] and len(calls) == 2  # checked by their rows, still held
    assert len(statements) == 1  # the statement of the table written, for both answers

    with transaction.atomic():  # both tables written, the rows as they were: checked in full
        Institution.objects.update(name=F("name"))
        Ally.objects.update(name=F("name"))
    assert looked_up("a", "b", compute=compute)[0] == [first, first]
    Institution.objects.update(name=F("name"))
    answers, _logged, statements = looked_up("a", "b", compute=compute)
    assert answers == [first, first] and len(calls) == 2
    # Then by the digest of that statement's rows alone, read in one round trip.
    assert len(statements) == 1 and statements[0].startswith("SELECT (SELECT sha256")
    assert Ally._meta.db_table not in statements[0]

    make_institution(name="Cancillería")
    answers, _logged, _statements = looked_up("a", "b", compute=compute)
    assert answers == [compute()] * 2
    assert answers[0][0] == ["Ministerio de Gobierno", "Cancillería"]


def test_a_write_rolled_back_leaves_the_answer_held_without_a_check():
    calls = []
    compute = names(calls)
    make_institution(name="Ministerio de Gobierno")
    first = unchanged.while_unchanged("a", compute)
    with pytest.raises(RuntimeError), transaction.atomic():
        make_institution(name="Cancillería")
        raise RuntimeError("undone")
    answers, logged, statements = looked_up("a", compute=compute)
    assert (answers, len(logged), statements, len(calls)) == ([first], 1, [], 1)


def another_connection():
    settings = connection.settings_dict
    return psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
    )


def test_a_write_in_raw_sql_from_another_connection_is_seen():
    """As another instance of the application, or an administrator in psql, would write."""
    compute = names([])
    institution = make_institution(name="Ministerio de Gobierno")
    unchanged.while_unchanged("a", compute)
    other = another_connection()
    try:
        with other, other.cursor() as cursor:
            cursor.execute(
                "UPDATE institutions_institution SET name = %s WHERE id = %s",
                ("Ministerio del Interior", institution.pk),
            )
    finally:
        other.close()
    (answer,), _logged, _statements = looked_up("a", compute=compute)
    assert answer[0] == ["Ministerio del Interior"]


def test_a_truncation_counts_as_a_write():
    """A restore empties every table with TRUNCATE before it loads the backup's rows."""
    compute = names([])
    make_ally(name="Universidad Central")
    unchanged.while_unchanged("a", compute)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Ally._meta.db_table} CASCADE")
    (answer,), _logged, _statements = looked_up("a", compute=compute)
    assert answer == ([], [])


def test_an_answer_older_than_the_pruned_log_is_checked_by_its_rows():
    calls = []
    compute = names(calls)
    make_institution(name="Ministerio de Gobierno")
    first = unchanged.while_unchanged("a", compute)
    write_elsewhere()
    with connection.cursor() as cursor:
        cursor.execute("SELECT oppms_prune_write_log('0 seconds')")
        cursor.execute(f"SELECT count(*) FROM {write_log.LOG}")
        assert cursor.fetchone() == (0,)
    answers, _logged, statements = looked_up("a", compute=compute)
    assert answers == [first] and len(calls) == 1 and len(statements) == 2
    make_institution(name="Cancillería")  # after the pruning: the log tells again
    (answer,), _logged, _statements = looked_up("a", compute=compute)
    assert answer[0] == ["Ministerio de Gobierno", "Cancillería"]


def test_an_answer_that_read_a_relation_without_the_trigger_is_checked_by_its_rows():
    """A catalog (here the schemas) changes by DDL, which no trigger logs."""
    calls = []

    def schemas():
        calls.append(1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_namespace")
            return cursor.fetchone()[0]

    before = unchanged.while_unchanged("schemas", schemas)
    make_institution()  # a logged write elsewhere: the log cannot vouch for pg_namespace
    assert looked_up("schemas", compute=schemas)[0] == [before] and len(calls) == 1
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA oppms_test_write_log")
    try:
        assert looked_up("schemas", compute=schemas)[0] == [before + 1]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA oppms_test_write_log")


def test_a_table_created_since_gets_the_trigger_and_older_answers_are_checked_by_their_rows():
    """As after a migration that creates a table: its writes before the trigger are in no log."""
    calls = []
    compute = names(calls)
    make_institution(name="Ministerio de Gobierno")
    first = unchanged.while_unchanged("a", compute)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE oppms_test_created_since (id integer)")
    try:
        write_log.install()  # what post_migrate runs
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE c.relname = 'oppms_test_created_since' AND t.tgname = %s",
                (write_log.TRIGGER,),
            )
            assert cursor.fetchone() == (1,)
        answers, _logged, statements = looked_up("a", compute=compute)
        assert (answers, len(statements), len(calls)) == ([first], 2, 1)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE oppms_test_created_since")
