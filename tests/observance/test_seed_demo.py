"""The demo data: the 2021 report's facts, loaded idempotently, with one login per role."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import translation

from allies.models import Ally
from institutions.models import Institution
from observance.demo import DEFAULT_PASSWORD
from observance.models import InformationRequest, Meeting, TeamMember
from oppms import roles
from reports.builder import report_figures
from reports.periods import Period

GUAYAQUIL = ZoneInfo("America/Guayaquil")
SEMESTER_START = datetime.datetime(2021, 1, 1, tzinfo=GUAYAQUIL)
SEMESTER_END = datetime.datetime(2021, 7, 1, tzinfo=GUAYAQUIL)


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts():
    """Rows of every model, history included."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def data_without_history():
    """Every row of every model but the historical ones, as plain values."""
    data = {}
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            continue
        data[model._meta.label] = sorted(
            (repr(sorted(model_to_dict(row).items())) for row in model.objects.all()),
        )
    return data


def meetings_in_first_semester():
    return Meeting.objects.filter(held_at__gte=SEMESTER_START, held_at__lt=SEMESTER_END)


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """The demo seeded once for the module (its output kept), rolled back at the module's end.

    Each test runs in a savepoint on top of it, so what one changes the next does not see.
    """
    with (
        pytest.MonkeyPatch.context() as patch,
        django_db_blocker.unblock(),
        translation.override(settings.LANGUAGE_CODE),
        transaction.atomic(),
    ):
        patch.delenv("DEMO_PASSWORD", raising=False)
        yield seed()
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded_once, db):
    return seeded_once


def test_running_seed_demo_twice_changes_no_row(demo):
    counts, data = row_counts(), data_without_history()

    seed()

    assert row_counts() == counts
    assert data_without_history() == data


def test_twenty_institutions_are_mapped_in_january_2021(demo):
    mapped = Institution.objects.filter(
        mapped_on__gte=datetime.date(2021, 1, 1), mapped_on__lte=datetime.date(2021, 1, 31)
    )
    assert mapped.count() == 20


def test_the_two_policy_makers_are_the_assembly_and_the_foreign_ministry(demo):
    makers = Institution.objects.filter(role=Institution.Role.POLICY_MAKER)
    assert sorted(makers.values_list("acronym", flat=True)) == ["AN", "MREMH"]


def test_eleven_distinct_institutions_were_met_in_the_first_semester_of_2021(demo):
    meetings = meetings_in_first_semester().filter(institution__isnull=False)

    assert meetings.values("institution").distinct().count() == 11
    assert meetings.count() > 11


def test_a_meeting_late_on_30_june_in_ecuador_counts_for_the_first_semester(demo):
    # 19:30 in Guayaquil is already 1 July in UTC: counting in UTC would find 10 institutions.
    late = Meeting.objects.get(institution__acronym="SENESCYT")
    assert late.held_at.astimezone(datetime.UTC).date() == datetime.date(2021, 7, 1)
    assert meetings_in_first_semester().filter(pk=late.pk).exists()


def test_ten_virtual_meetings_with_universities_in_the_first_semester_of_2021(demo):
    with_universities = meetings_in_first_semester().filter(ally__kind=Ally.Kind.ACADEMIA)

    assert with_universities.count() == 10
    assert not with_universities.exclude(modality=Meeting.Modality.VIRTUAL).exists()


def test_several_universities_are_in_border_regions(demo):
    border = Ally.objects.filter(kind=Ally.Kind.ACADEMIA, border_region=True)
    assert border.count() >= 3


def test_allies_of_every_kind_are_present(demo):
    kinds = set(Ally.objects.values_list("kind", flat=True))
    assert kinds == set(Ally.Kind.values)


def test_every_demo_ally_is_allied_in_2021_or_earlier(demo):
    allied_on = list(Ally.objects.values_list("allied_on", flat=True))
    assert None not in allied_on
    assert max(allied_on) <= datetime.date(2021, 6, 30)


def test_the_2021_first_semester_report_lists_every_demo_ally(demo):
    allies = report_figures(period=Period(2021, 1))["allies"]
    listed = {row["name"] for kind in allies["kinds"] for row in kind["rows"]}
    assert listed == set(Ally.objects.values_list("name", flat=True))
    assert allies["total"] == Ally.objects.count()
    assert {"Fundación Alas de Colibrí", "Colectivo Retorno Digno"} <= listed


def test_the_team_is_the_reports_five_members_in_order(demo):
    team = list(TeamMember.objects.values_list("name", "role_title"))
    assert team == [
        ("Jhonn Cueva Jimenez", "Coordinador Nacional"),
        ("Santiago Cueva Jiménez", "Subcoordinador Nacional"),
        ("Pablo López Vaca", "Procurador"),
        ("Verónica Villarruel Cueva", "Secretaria"),
        ("Daniela Calderón Gualpa", "Coordinadora de Protocolo"),
    ]


def test_the_dashboard_has_overdue_requests_and_one_due_within_five_days(demo):
    requests = InformationRequest.objects
    assert requests.overdue().count() >= 2
    assert requests.due_within(5).count() >= 1


def test_every_request_state_the_demo_promises_is_there(demo):
    requests = InformationRequest.objects.all()
    outcomes = set(requests.values_list("outcome", flat=True))

    assert outcomes == set(InformationRequest.Outcome.values)
    assert any(r.answered_late for r in requests)
    assert requests.filter(events__kind="defensoria").exists()
    assert (
        requests.open()
        .filter(extension_notified_on__isnull=False)
        .exclude(pk__in=requests.overdue())
        .exists()
    )


def logs_in(client, username, password):
    """Log in through the login page, as a person does (and as the lockout guard requires)."""
    response = client.post("/cuentas/login/", {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.parametrize(
    "username, group",
    [
        ("coordinacion", roles.COORDINACION),
        ("secretaria", roles.SECRETARIA),
        ("admin", roles.ADMINISTRACION),
        ("consulta", roles.CONSULTA),
    ],
)
def test_each_demo_user_logs_in_with_the_demo_password_and_holds_one_role(
    demo, client, username, group
):
    user = User.objects.get(username=username)

    assert logs_in(client, username, DEFAULT_PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == [group]
    assert not user.is_superuser
    assert user.is_staff == (username == "admin")


def test_the_coordinator_and_the_secretaria_logins_are_their_team_members(demo):
    assert User.objects.get(username="coordinacion").team_member.name == "Jhonn Cueva Jimenez"
    assert User.objects.get(username="secretaria").team_member.name == "Verónica Villarruel Cueva"


def test_the_command_prints_the_logins_and_the_password(demo):
    for text in ("coordinacion", "secretaria", "admin", "consulta", DEFAULT_PASSWORD):
        assert text in demo


def test_the_command_speaks_spanish(demo):
    assert "Datos de demostración cargados." in demo
    assert "meta de vinculación cumplida" in demo
    assert "Usuarios de demostración (todos con la misma contraseña):" in demo
    assert "linkage goal" not in demo
    assert "Demo logins" not in demo


def test_the_demo_password_comes_from_the_environment(db, monkeypatch, client):
    monkeypatch.setenv("DEMO_PASSWORD", "otra-clave-de-prueba")

    output = seed()

    assert "otra-clave-de-prueba" in output
    assert logs_in(client, "consulta", "otra-clave-de-prueba")


def test_the_profile_holds_the_2021_reports_texts_point_by_point(demo):
    from observance.models import ObservatoryProfile

    profile = ObservatoryProfile.load().report_data()
    counts = {
        field: len(profile[field])
        for field in (
            "constitution_bases",
            "observance_scheme",
            "linkage_results",
            "academia_roles",
            "academia_purposes",
            "objectives",
        )
    }
    assert counts == {
        "constitution_bases": 4,
        "observance_scheme": 7,
        "linkage_results": 5,
        "academia_roles": 3,
        "academia_purposes": 6,
        "objectives": 5,
    }
    assert profile["academia_rationale"].startswith("La academia aporta")
    assert profile["academia_results"]


def test_the_constitution_is_stated_once_from_the_act_and_its_date(demo):
    from observance.models import ObservatoryProfile

    profile = ObservatoryProfile.load()
    assert (profile.constitution_act, profile.constituted_on) == (
        "Acta Constitutiva",
        datetime.date(2021, 1, 19),
    )
    assert "2021" not in profile.definition
