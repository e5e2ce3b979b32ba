"""Answers reused only while nothing was written (oppms.unchanged): the report preview and the
dashboard's trend are computed again as soon as any record is saved."""

import collections
import datetime
import re

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from allies.models import Ally
from institutions.models import Institution
from oppms import unchanged, write_log
from reports.trend import semester_of
from tests.allies.factories import make_ally
from tests.institutions.factories import make_institution, make_meeting

# Committed writes, as the app's requests make them (no test transaction around them).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("nothing_kept")]

ON_POSTGRESQL = connection.vendor == "postgresql"


def counting(answers):
    calls = []

    def compute():
        calls.append(1)
        return answers[len(calls) - 1]

    return compute, calls


def test_an_answer_is_reused_until_a_record_is_saved():
    """An answer whose computation ran no statement holds only while nothing is written."""
    make_institution()
    compute, calls = counting(["first", "second", "third"])
    assert unchanged.while_unchanged("figure", compute) == "first"
    if ON_POSTGRESQL:
        assert unchanged.while_unchanged("figure", compute) == "first"
        make_institution()
        assert unchanged.while_unchanged("figure", compute) in ("first", "second")
    else:  # nothing vouches for the data: every call computes
        assert unchanged.while_unchanged("figure", compute) == "second"
        assert unchanged.while_unchanged("figure", compute) == "third"


def institutions_counted(calls):
    def compute():
        calls.append(1)
        return Institution.objects.count()

    return compute


def test_an_answer_holds_after_writes_that_leave_the_rows_it_was_computed_from_alone():
    calls = []
    compute = institutions_counted(calls)
    make_institution()
    assert unchanged.while_unchanged("institutions", compute) == 1
    make_meeting(ally=make_ally())  # other tables: the count's statement returns the same row
    assert unchanged.while_unchanged("institutions", compute) == 1
    assert len(calls) == (1 if ON_POSTGRESQL else 2)
    make_institution()
    assert unchanged.while_unchanged("institutions", compute) == 2
    assert len(calls) == (2 if ON_POSTGRESQL else 3)


def test_an_answer_kept_while_computing_another_counts_among_its_statements():
    """The outer answer is computed from the inner one given without its statements being run:
    they are the outer's too, and a change they see computes the outer again."""
    inner_calls, outer_calls = [], []
    inner = institutions_counted(inner_calls)

    def outer():
        outer_calls.append(1)
        return f"{unchanged.while_unchanged('inner', inner)} instituciones"

    unchanged.while_unchanged("inner", inner)
    assert unchanged.while_unchanged("outer", outer) == "0 instituciones"
    make_institution()
    assert unchanged.while_unchanged("outer", outer) == "1 instituciones"
    make_meeting(ally=make_ally())
    assert unchanged.while_unchanged("outer", outer) == "1 instituciones"
    if ON_POSTGRESQL:
        assert (len(inner_calls), len(outer_calls)) == (2, 2)


def test_an_answer_whose_computation_wrote_holds_only_while_nothing_is_written():
    calls = []

    def compute():
        calls.append(1)
        make_institution()  # a statement that cannot be run again to check the answer
        return Institution.objects.count()

    first = unchanged.while_unchanged("writes", compute)
    make_meeting(ally=make_ally())
    assert unchanged.while_unchanged("writes", compute) == first + 1
    assert len(calls) == 2


@pytest.mark.skipif(not ON_POSTGRESQL, reason="a sequence of PostgreSQL's")
def test_an_answer_whose_computation_moved_a_sequence_is_never_checked_by_moving_it_again():
    calls = []

    def compute():
        calls.append(1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval('institutions_institution_id_seq')")
            return cursor.fetchone()[0]

    first = unchanged.while_unchanged("sequence", compute)
    make_meeting(ally=make_ally())
    second = unchanged.while_unchanged("sequence", compute)
    assert len(calls) == 2
    with connection.cursor() as cursor:  # moved by the two computations, by nothing else
        cursor.execute("SELECT last_value FROM institutions_institution_id_seq")
        assert cursor.fetchone()[0] == second == first + 1


def test_a_reused_answer_is_a_copy_the_caller_may_change():
    compute, _calls = counting([{"rows": [1]}, {"rows": [1]}])
    unchanged.while_unchanged("rows", compute)["rows"].append(2)
    assert unchanged.while_unchanged("rows", compute) == {"rows": [1]}


def test_keys_do_not_share_answers():
    compute_a, _ = counting(["a"])
    compute_b, _ = counting(["b"])
    assert unchanged.while_unchanged(("k", 1), compute_a) == "a"
    assert unchanged.while_unchanged(("k", 2), compute_b) == "b"


def test_a_transaction_that_wrote_computes_with_its_own_changes():
    compute, calls = counting(["before", "inside", "after"])
    unchanged.while_unchanged("t", compute)
    with transaction.atomic():
        make_institution()  # not committed yet: not in any snapshot's text
        assert unchanged.while_unchanged("t", compute) == "inside"
    assert len(calls) == 2


def chosen_semester_meetings(response):
    """The meetings of the semester shown, as its row of the trend's table reads."""
    assert response.status_code == 200
    row = re.search(
        r'<tr class="table-active" aria-current="true">(.*?)</tr>', response.content.decode(), re.S
    )
    return int(re.search(r'data-trend="meetings" data-value="(\d+)"', row.group(1)).group(1))


def test_the_report_preview_shows_a_meeting_recorded_after_it_was_shown(client, coordinator):
    coordinator.groups.clear()
    coordinator.is_superuser = True  # may open the draft report
    coordinator.save()
    client.force_login(coordinator)
    today = timezone.localdate()
    period = semester_of(today)
    url = reverse("reports:report-detail", args=[period.year, period.half])
    institution = make_institution(mapped_on=period.start)

    def meetings_shown():
        return chosen_semester_meetings(client.get(url))

    before = meetings_shown()
    assert meetings_shown() == before  # the second view may reuse the figures
    make_meeting(institution=institution, held_on=max(period.start, today - datetime.timedelta(1)))
    assert meetings_shown() == before + 1


def test_the_dashboard_trend_shows_a_meeting_recorded_after_it_was_shown(client, coordinator):
    client.force_login(coordinator)
    today = timezone.localdate()
    period = semester_of(today)
    institution = make_institution(mapped_on=period.start)

    def meetings_shown():
        return chosen_semester_meetings(client.get(reverse("observance:dashboard")))

    assert meetings_shown() == meetings_shown() == 0
    make_meeting(institution=institution, held_on=max(period.start, today - datetime.timedelta(1)))
    assert meetings_shown() == 1


def written_alike():
    """The tables the answers below read written, their rows left as they were: the log of
    writes (oppms.write_log) cannot vouch for the answers, which are checked by their rows."""
    Institution.objects.update(name=F("name"))
    Ally.objects.update(name=F("name"))


def in_one_request(work):
    """``work()`` as a request runs it: one snapshot read for every lookup."""
    return unchanged.SnapshotPerRequestMiddleware(lambda request: work())(None)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="answers are checked against PostgreSQL's snapshot")
def test_a_statement_several_answers_were_computed_from_is_run_once_a_request_to_check_them():
    calls = []
    compute = institutions_counted(calls)
    make_institution()
    in_one_request(lambda: [unchanged.while_unchanged(key, compute) for key in ("a", "b")])
    written_alike()  # every answer's snapshot is old: each is checked

    def both():
        return [unchanged.while_unchanged(key, compute) for key in ("a", "b")]

    with CaptureQueriesContext(connection) as queries:
        assert in_one_request(both) == [1, 1]
    counts = [q["sql"] for q in queries if "COUNT" in q["sql"].upper()]
    assert len(calls) == 2  # neither computed again
    assert len(counts) == 1, counts


@pytest.mark.skipif(not ON_POSTGRESQL, reason="answers are checked against PostgreSQL's snapshot")
def test_a_statement_checked_once_a_request_is_run_again_after_the_request_writes():
    calls = []
    compute = institutions_counted(calls)
    make_institution()
    unchanged.while_unchanged("a", compute)

    def checked_written_checked():
        make_meeting(ally=make_ally())
        first = unchanged.while_unchanged("a", compute)
        make_institution()  # this request's own write: what it checked before no longer holds
        return first, unchanged.while_unchanged("a", compute)

    assert in_one_request(checked_written_checked) == (1, 2)


def three_statements(calls):
    def compute():
        calls.append(1)
        return (
            Institution.objects.count(),
            list(Institution.objects.order_by("pk").values_list("name", flat=True)),
            list(Ally.objects.order_by("pk").values_list("name", "acronym")),
        )

    return compute


# The statements a lookup runs besides an answer's: the snapshot, the log of writes.
LOOKUP_NOT_CHECK = r"pg_current_snapshot\(\)|oppms_write_log"


def statements_run(work):
    with CaptureQueriesContext(connection) as queries:
        answer = in_one_request(work)
    return answer, [q["sql"] for q in queries if not re.search(LOOKUP_NOT_CHECK, q["sql"])]


@pytest.mark.skipif(not ON_POSTGRESQL, reason="answers are checked against PostgreSQL's snapshot")
def test_an_answer_checked_once_is_checked_next_time_in_one_statement_that_sees_any_change():
    calls = []
    compute = three_statements(calls)
    make_institution(name="Ministerio de Gobierno")
    ally = make_ally(name="Universidad Central", acronym="UCE")
    first = unchanged.while_unchanged("three", compute)
    written_alike()  # its tables, not its rows: checked a statement at a time, with digests
    assert statements_run(lambda: unchanged.while_unchanged("three", compute))[0] == first
    written_alike()  # checked again, all three statements in one
    answer, run = statements_run(lambda: unchanged.while_unchanged("three", compute))
    assert (answer, len(run), len(calls)) == (first, 1, 1)
    for change in (
        lambda: Ally.objects.filter(pk=ally.pk).update(acronym="UCE,"),  # one value, one comma
        lambda: Ally.objects.filter(pk=ally.pk).update(name="Universidad Central", acronym=""),
        lambda: make_institution(),  # one more row
    ):
        written_alike()
        before = unchanged.while_unchanged("three", compute)
        change()
        after = in_one_request(lambda: unchanged.while_unchanged("three", compute))
        assert after == compute() != before


@pytest.mark.skipif(not ON_POSTGRESQL, reason="answers are checked against PostgreSQL's snapshot")
def test_an_answer_checked_where_one_of_its_tables_was_written_is_checked_so_in_one_statement():
    """Only the statements that read a table written are checked (a report's section after a
    meeting logged): the first time one by one, from then on in one statement, and a change in
    their rows is still seen."""
    calls = []
    compute = three_statements(calls)
    make_institution(name="Ministerio de Gobierno")
    make_ally(name="Universidad Central", acronym="UCE")
    first = unchanged.while_unchanged("institutions", compute)
    for expected in (2, 1, 1):  # the count and the names of the institutions; not the allies
        Institution.objects.update(name=F("name"))
        answer, run = statements_run(lambda: unchanged.while_unchanged("institutions", compute))
        assert (answer, len(run), len(calls)) == (first, expected, 1)
        assert not [sql for sql in run if "allies_ally" in sql]
    Institution.objects.update(name="Ministerio del Interior")
    assert in_one_request(lambda: unchanged.while_unchanged("institutions", compute)) == compute()


@pytest.mark.skipif(not ON_POSTGRESQL, reason="answers are checked against PostgreSQL's snapshot")
def test_an_answer_checked_after_another_in_one_statement_is_checked_so_from_then_on():
    """Two answers computed from the same statements, one of them already checked in one
    statement: checked after it in the same request, the other takes the digests of the rows
    that statement read, and is checked in one statement too the next time."""
    calls = []
    compute = three_statements(calls)
    make_institution(name="Ministerio de Gobierno")
    make_ally(name="Universidad Central", acronym="UCE")
    first = unchanged.while_unchanged("checked", compute)
    written_alike()
    in_one_request(lambda: unchanged.while_unchanged("checked", compute))  # now in one statement
    unchanged.while_unchanged("new", compute)
    written_alike()
    in_one_request(lambda: [unchanged.while_unchanged(key, compute) for key in ("checked", "new")])
    written_alike()
    answer, run = statements_run(lambda: unchanged.while_unchanged("new", compute))
    assert (answer, len(run), len(calls)) == (first, 1, 2)


def plan_nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from plan_nodes(child)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="answers are checked against PostgreSQL's snapshot")
def test_a_first_check_digests_a_statements_rows_once_not_once_a_row():
    """The first check runs each statement again with the digest of all its rows: computed once
    for the statement, so that its cost grows with the rows, not with their square (the digest
    of 2,000 rows once a row took 1.2 s; a dashboard kept on 520 institutions was checked at 4
    requests a second while meetings were logged)."""
    for name in ("Ministerio de Gobierno", "Ministerio de Salud", "Cancillería"):
        make_institution(name=name)
    make_ally(name="Universidad Central", acronym="UCE")
    compute = three_statements([])
    first = unchanged.while_unchanged("three", compute)
    written_alike()  # its tables, not its rows: the first check, a statement at a time
    answer, run = statements_run(lambda: unchanged.while_unchanged("three", compute))
    assert answer == first and len(run) == 3
    for sql in run:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (VERBOSE, COSTS OFF, FORMAT JSON) {sql}")
            (plan,) = cursor.fetchone()[0]
        digesting = [
            node["Node Type"]
            for node in plan_nodes(plan["Plan"])
            if any("sha256" in output for output in node.get("Output", []))
        ]
        # One Aggregate over all the rows gives one digest; a node of any other kind computes
        # it for every row it gives.
        assert digesting == ["Aggregate"], (digesting, sql)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="answers are checked against PostgreSQL's snapshot")
def test_an_answer_is_checked_first_against_the_statement_whose_rows_changed_last_time(
    monkeypatch,
):
    """A page that changes at every meeting logged (a list's count, the dashboard's trend) was
    checked statement by statement up to the one that changed, then computed, running them all
    again: checked first against the statement that changed last time, it is computed at once.
    (Where the log of writes cannot tell which tables were written.)"""
    monkeypatch.setattr(write_log, "written_between", lambda cursor, then, now: None)
    calls = []
    compute = three_statements(calls)
    make_institution(name="Ministerio de Gobierno")
    make_ally(name="Universidad Central", acronym="UCE")
    unchanged.while_unchanged("three", compute)
    make_ally(name="Universidad de Cuenca")  # the third statement's rows change
    first_time = statements_run(lambda: unchanged.while_unchanged("three", compute))[1]
    make_ally(name="Universidad de Guayaquil")  # the same statement's again
    answer, second_time = statements_run(lambda: unchanged.while_unchanged("three", compute))
    assert answer == compute() and len(calls) == 4
    assert len(first_time) == 3 + 3  # checked up to the third statement, then computed
    assert len(second_time) == 1 + 3, second_time  # checked against the third first
    written_alike()  # its tables, not its rows: checked whole, and given as kept
    assert statements_run(lambda: unchanged.while_unchanged("three", compute))[0] == answer
    assert len(calls) == 4  # not computed again
    # Checked since in one statement: the digest that differs names the statement too.
    make_ally(name="Universidad de Loja")
    assert len(statements_run(lambda: unchanged.while_unchanged("three", compute))[1]) == 1 + 3
    make_ally(name="Universidad de Machala")
    assert len(statements_run(lambda: unchanged.while_unchanged("three", compute))[1]) == 1 + 3


@pytest.mark.skipif(not ON_POSTGRESQL, reason="answers are checked against PostgreSQL's snapshot")
def test_an_answer_that_changed_when_its_tables_were_last_written_is_computed_again_unchecked():
    """Once the statement whose rows changed last time has its tables written again
    (oppms.write_log), a check would run the statements computing runs: the answer is computed
    at once. A write to its other tables has it checked; and it is checked again once computing
    finds that statement returning the rows it returned before. A check runs only the statements
    that read a table written."""
    calls = []
    compute = three_statements(calls)

    def run():
        return statements_run(lambda: unchanged.while_unchanged("three", compute))

    make_institution(name="Ministerio de Gobierno")
    make_ally(name="Universidad Central", acronym="UCE")
    unchanged.while_unchanged("three", compute)
    make_ally(name="Universidad de Cuenca")  # the third statement's rows change
    assert len(run()[1]) == 1 + 3  # the statement of the table written checked, then computed
    make_ally(name="Universidad de Guayaquil")  # its table written again
    answer, statements = run()
    assert len(statements) == 3 and answer == compute()
    assert answer[2][-1][0] == "Universidad de Guayaquil"
    calls.clear()
    Institution.objects.update(name=F("name"))  # not the table of the statement that changed
    held, checked = run()
    assert (held, len(checked), calls) == (answer, 2, [])  # checked, and given as kept
    make_ally(name="Universidad de Loja")
    answer, statements = run()
    assert len(statements) == 3 and len(calls) == 1  # still the statement that changed: computed
    written_alike()  # written, its rows as they were: computed, and found unchanged there
    assert run()[0] == answer and len(calls) == 2
    written_alike()  # so checked this time, and given as kept
    held, checked = run()
    assert (held, len(checked), len(calls)) == (answer, 3, 2)


def test_a_copy_of_an_answer_shares_nothing_that_can_change():
    """``copied`` gives each caller its own answer: changing one in place, however deep,
    leaves the kept one as it was; values that cannot change are shared, others deep-copied."""
    when = datetime.datetime(2021, 3, 15, 10, tzinfo=datetime.UTC)
    kept = {
        "rows": [{"name": "MREMH", "held": [when], "tags": {"a"}}],
        "pair": (["x"], 1),
        "other": collections.Counter(a=1),
    }
    copy = unchanged.copied(kept)
    assert copy == kept
    copy["rows"][0]["held"].append(when)
    copy["rows"][0]["tags"].add("b")
    copy["pair"][0].append("y")
    copy["other"]["a"] += 1
    assert kept == {
        "rows": [{"name": "MREMH", "held": [when], "tags": {"a"}}],
        "pair": (["x"], 1),
        "other": collections.Counter(a=1),
    }
    assert copy["rows"][0]["held"][0] is when
