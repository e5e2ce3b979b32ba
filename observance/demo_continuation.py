"""The demo after the 2021 report: every semester from 2021-S2 up to today's, filled.

``seed_demo`` loads the first semester of 2021 exactly as the report tells it; this module adds a
believable continuation so that every list, detail page, dashboard block and report section of
every semester shows records: meetings (three a month, the ones still ahead without outcomes),
information requests in every LOTAIP state, evaluations, publications (some public),
recommendations with their follow-ups, one observance process a year through its seven steps,
new agreements and agenda activities done over time, and an institution mapped now and then.

Everything is derived from ``today`` and the tables below (no randomness): a record is placed at
a fixed day of its semester, and one dated after today is not there yet (a meeting is, up to
two months ahead, as a planned one). Nothing is dated in 2021-S1 and no record of it changes.

Idempotent as ``seed_demo`` is: records are looked up by their natural key and saved only when a
value differs. What changes over time (a recommendation's compliance, an agenda activity's
status, an agreement's status) is saved once per change, its history version dated on the day
of the change, so that a past semester's report reads the state it had then (``oppms.asof``).
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from allies.models import AgendaItem, Agreement
from institutions.models import Institution, ResponsibilityArea
from oppms.geography import Province

from . import lotaip
from .escalation import EscalationOutcome
from .models import (
    Evaluation,
    FollowUp,
    Holiday,
    InformationRequest,
    Meeting,
    ObservanceProcess,
    ProcessStep,
    Publication,
    Recommendation,
    RequestEvent,
)
from .services import escalation_outcome_record, request_event_record

GUAYAQUIL = ZoneInfo("America/Guayaquil")
FIRST = (2021, 2)  # the first semester after the 2021 report's
MEETINGS_AHEAD = datetime.timedelta(days=60)
DAY = datetime.timedelta(days=1)

E = RequestEvent.Kind
NO_ANSWER = EscalationOutcome.NO_ANSWER  # a step of the ladder that went unanswered
C = Recommendation.Compliance
A = AgendaItem.Status

SEMESTER_NAMES = {1: "primer semestre", 2: "segundo semestre"}

# Institutions mapped after the first mapping: (acronym, name, sector, branch, level, province,
# mapped_on, area).
NEW_INSTITUTIONS = [
    (
        "DP",
        "Defensoría Pública del Ecuador",
        "Patrocinio jurídico gratuito",
        Institution.Branch.JUDICIAL,
        Institution.Level.NATIONAL,
        Province.PICHINCHA,
        datetime.date(2022, 2, 14),
        "Patrocinio a personas en movilidad humana en procesos de refugio y regularización",
    ),
    (
        "GADPC",
        "Gobierno Autónomo Descentralizado Provincial del Carchi",
        "Movilidad humana en frontera norte",
        Institution.Branch.AUTONOMOUS,
        Institution.Level.PROVINCIAL,
        Province.CARCHI,
        datetime.date(2023, 3, 6),
        "Atención a personas en tránsito y refugiadas en la frontera norte",
    ),
    (
        "GADMH",
        "Gobierno Autónomo Descentralizado Municipal de Huaquillas",
        "Movilidad humana en frontera sur",
        Institution.Branch.AUTONOMOUS,
        Institution.Level.CANTONAL,
        Province.EL_ORO,
        datetime.date(2024, 8, 19),
        "Albergue temporal y atención municipal a personas en movilidad",
    ),
    (
        "CNII",
        "Consejo Nacional para la Igualdad Intergeneracional",
        "Igualdad y no discriminación",
        Institution.Branch.EXECUTIVE,
        Institution.Level.NATIONAL,
        Province.PICHINCHA,
        datetime.date(2025, 4, 7),
        "Niñas, niños y adolescentes en movilidad humana no acompañados",
    ),
]

# The institutions the observatory meets and asks, in the order it goes round them.
ROTATION = [
    "MREMH",
    "MIES",
    "MDT",
    "DIGERCIC",
    "MDG",
    "MSP",
    "DPE",
    "SENESCYT",
    "CNIMH",
    "MINEDUC",
    "BanEcuador",
    "IESS",
    "SECAP",
    "SENAE",
    "AN",
    "MIDUVI",
    "CFN",
    "MPCEIP",
    "SB",
    "SDH",
]
# SENESCYT's one meeting, late on 30/06/2021, is the 2021 report's example of a semester's edge
# in Guayaquil's time (tests/observance/test_seed_demo.py finds it by its institution).
MEETING_ROTATION = [acronym for acronym in ROTATION if acronym != "SENESCYT"]
ALLY_ROTATION = ["UPEC", "ACNUR", "UTMACH", "OIM", "UNL", "HIAS", "FLACSO", "UTN", "PUCESE"]

INSTITUTION_PURPOSES = [
    "Seguimiento de la solicitud de información enviada y de los compromisos de la reunión "
    "anterior.",
    "Revisión de los servicios de atención a migrantes retornados en las oficinas zonales.",
    "Mesa técnica sobre documentación y regularización de personas con protección internacional.",
    "Presentación de los resultados de la evaluación técnica del semestre y de las "
    "recomendaciones del observatorio.",
    "Coordinación de la socialización de la Ley Orgánica de Movilidad Humana en provincias de "
    "frontera.",
    "Análisis de las áreas de responsabilidad de la institución frente a la política observada.",
]
ALLY_PURPOSES = [
    "Avance de la agenda de trabajo del convenio y revisión de productos de investigación.",
    "Retroalimentación técnica a la evaluación de la información entregada por las instituciones.",
    "Preparación conjunta del taller de socialización de resultados de la observancia.",
]
OUTCOMES = [
    "La institución se comprometió a entregar la información pendiente por oficio.",
    "Se acordó una mesa técnica trimestral con el área responsable.",
    "Se identificaron las unidades responsables y sus delegados para el seguimiento.",
    "Se recibieron observaciones al informe y se acordaron ajustes.",
]

# What the requests ask, by turn.
SUBJECTS = [
    "Migrantes retornados atendidos en el semestre, por provincia y tipo de servicio",
    "Personas refugiadas beneficiarias de programas de inclusión económica",
    "Inserción laboral de migrantes retornados en la bolsa de empleo pública",
    "Cédulas y documentos de viaje emitidos a personas refugiadas y apátridas",
    "Visas de protección internacional otorgadas y solicitudes pendientes",
    "Atención de salud a personas en movilidad humana sin documentación",
    "Quejas recibidas por vulneración de derechos de personas en movilidad humana",
    "Registro de títulos obtenidos en el exterior por migrantes retornados",
    "Avances de la Agenda Nacional para la Igualdad de Movilidad Humana",
    "Matrícula escolar de niñas y niños refugiados y retornados",
    "Créditos de emprendimiento otorgados a migrantes retornados",
]

# The requests of a semester: (day of the semester it is sent on, or days before its end when
# negative; what happens to it). Together they put a semester's requests in every state.
REQUEST_PLAN = [
    (8, "on_time"),
    (20, "late"),
    (35, "extended_on_time"),
    (50, "partly"),
    (64, "refused"),
    (80, "overdue_defensoria"),
    (95, "overdue_extended"),
    (110, "on_time"),
    (130, "partly_late"),
    (150, "on_time"),
    (-3, "answered_after_the_semester"),
]

RATINGS = list(Evaluation.Rating)

# Recommendations: (text, days it is given to comply, follow-ups [(days after, compliance,
# notes)]). The first is complied in time; the other two end past their date, not complied.
RECOMMENDATION_PLANS = [
    (
        "Publicar en el portal de transparencia las cifras de atención a migrantes retornados, "
        "desagregadas por provincia, sexo y edad.",
        120,
        [
            (40, C.IN_PROGRESS, "La institución designó un responsable y un cronograma."),
            (100, C.PARTLY_COMPLIED, "Publicadas las cifras nacionales; falta la desagregación."),
            (170, C.COMPLIED, "Cifras desagregadas publicadas y verificadas."),
        ],
    ),
    (
        "Responder las solicitudes de información dentro del plazo de la LOTAIP y notificar la "
        "prórroga cuando se necesite.",
        60,
        [
            (30, C.PENDING, "Sin respuesta al oficio de seguimiento."),
            (75, C.NOT_COMPLIED, "Plazo vencido; se evalúa acudir a la Defensoría del Pueblo."),
        ],
    ),
    (
        "Simplificar el trámite de documentación de personas con protección internacional y "
        "capacitar al personal de atención en frontera.",
        90,
        [
            (45, C.IN_PROGRESS, "Capacitación iniciada en Tulcán y Huaquillas."),
            (130, C.IN_PROGRESS, "Trámite aún sin simplificar; plazo vencido."),
        ],
    ),
]

# Agreements after 2021: (ally, signed on, activities [(activity, months after signing)]).
NEW_AGREEMENTS = [
    (
        "UTN",
        datetime.date(2022, 3, 15),
        [
            ("Diagnóstico de la inserción laboral de migrantes retornados en Imbabura", 4),
            ("Curso de formación en derechos de personas en movilidad humana", 9),
            ("Informe conjunto sobre el acceso a la educación superior de personas refugiadas", 16),
        ],
    ),
    (
        "FLACSO",
        datetime.date(2023, 2, 20),
        [
            ("Metodología de evaluación técnica de la información pública", 5),
            ("Seminario sobre políticas de retorno en América Latina", 11),
            ("Publicación académica sobre los resultados de la observancia", 20),
        ],
    ),
    (
        "ACNUR",
        datetime.date(2024, 5, 8),
        [
            ("Mapeo de servicios para personas refugiadas en frontera norte y sur", 4),
            ("Talleres de socialización de la ruta de protección internacional", 10),
            ("Sistematización de casos de acceso a la documentación", 18),
        ],
    ),
    (
        "OIM",
        datetime.date(2025, 9, 12),
        [
            ("Guía de reintegración para migrantes retornados", 5),
            ("Ferias de emprendimiento con migrantes retornados", 12),
        ],
    ),
]
# (The 2021 agreements get no new activity: the first semester's agenda progress counts
# every activity of an agreement signed by then, whenever it was added.)


def seed_continuation(*, institutions, allies, process, team, today):
    """Add the semesters after 2021-S1 up to ``today``'s; returns nothing."""
    extra_holidays = dict(Holiday.objects.values_list("date", "name"))
    institutions = dict(institutions) | _new_institutions(today)
    processes = _processes(process, institutions, today)
    semesters = _semesters(today)
    _meetings(institutions, allies, processes, team, today)
    for index, (year, half, start, end) in enumerate(semesters):
        context = {
            "year": year,
            "half": half,
            "start": start,
            "end": end,
            "index": index,
            "today": today,
            "process": _process_on(processes, start + 20 * DAY),
        }
        _requests(context, institutions, extra_holidays)
        evaluations = _evaluations(context)
        _publications(context, evaluations, allies)
        _recommendations(context, institutions, evaluations)
    _agreements(allies, today)


# Helpers ------------------------------------------------------------------------------------


def _upsert(model, lookup, values):
    from .demo import upsert  # demo.py calls this module from seed_demo

    return upsert(model, lookup, values)


def _staged(model, lookup, stages):
    """A record whose values changed over time: ``stages`` are (day, values), oldest first.

    Only the stages reached by today are given. Each change is saved with its history version
    dated on its day (noon in Guayaquil); a rerun saves nothing, a later run the new stages.
    """
    first_day, first_values = stages[0]
    record = model.objects.filter(**lookup).first()
    if record is None:
        record = model(**lookup, **first_values)
        record._history_date = _noon(first_day)
        record.save()
        later = stages[1:]
    else:
        # Made on an earlier run: only what changed since then is saved, dated on the last day.
        later = [(stages[-1][0], {k: v for _day, values in stages for k, v in values.items()})]
    for day, values in later:
        changed = {name: value for name, value in values.items() if getattr(record, name) != value}
        if changed:
            for name, value in changed.items():
                setattr(record, name, value)
            record._history_date = _noon(day)
            record.save()
    return record


def _noon(day):
    # Never later than now: a version "saved" in the future would not be history yet.
    return min(datetime.datetime.combine(day, datetime.time(12), tzinfo=GUAYAQUIL), timezone.now())


def _at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=GUAYAQUIL)


def _semester_bounds(year, half):
    if half == 1:
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    return datetime.date(year, 7, 1), datetime.date(year, 12, 31)


def _semesters(today):
    """(year, half, first day, last day) from 2021-S2 to the semester of ``today``."""
    year, half = FIRST
    semesters = []
    while (year, half) <= (today.year, 1 if today.month <= 6 else 2):
        semesters.append((year, half, *_semester_bounds(year, half)))
        year, half = (year, 2) if half == 1 else (year + 1, 1)
    return semesters


def _semester_name(year, half):
    return f"{SEMESTER_NAMES[half]} de {year}"


def _set_m2m(manager, wanted):
    if set(manager.all()) != set(wanted):
        manager.set(wanted)


# Step 1: institutions mapped later ---------------------------------------------------------


def _new_institutions(today):
    mapped = {}
    for acronym, name, sector, branch, level, province, mapped_on, area in NEW_INSTITUTIONS:
        if mapped_on > today:
            continue
        institution = _upsert(
            Institution,
            {"name": name},
            {
                "acronym": acronym,
                "sector": sector,
                "branch": branch,
                "level": level,
                "province": province,
                "role": Institution.Role.EXECUTOR,
                "mapped_on": mapped_on,
            },
        )
        institution.demo_areas = [
            _upsert(ResponsibilityArea, {"institution": institution, "name": area}, {})
        ]
        mapped[acronym] = institution
    return mapped


# One observance process a year, through its seven steps -----------------------------------

# step: (first day, last day) as (month, day) of the process's year.
STEP_DATES = {
    1: ((1, 10), (1, 31)),
    2: ((2, 1), (11, 30)),
    3: ((2, 15), (4, 30)),
    4: ((3, 1), (11, 15)),
    5: ((4, 15), (12, 10)),
    6: ((6, 1), (12, 15)),
    7: ((7, 1), (12, 18)),
}
STEP_NOTES = {
    1: "Actualización del mapeo de instituciones responsables.",
    2: "Reuniones de vinculación con las instituciones mapeadas y los aliados.",
    3: "Áreas de responsabilidad revisadas con cada institución.",
    4: "Solicitudes de información bajo la LOTAIP y su seguimiento.",
    5: "Evaluación técnica de la información recibida, con los aliados académicos.",
    6: "Publicación del informe y talleres de socialización.",
    7: "Recomendaciones a las instituciones y su seguimiento.",
}


def _processes(first_process, institutions, today):
    """{year: process}: the 2021 one, then one a year started in January."""
    processes = {2021: first_process}
    for year in range(2022, today.year + 1):
        started_on = datetime.date(year, 1, 10)
        if started_on > today:
            break
        closed_on = datetime.date(year, 12, 18)
        process = _upsert(
            ObservanceProcess,
            {
                "policy": first_process.policy,
                "title": f"Observancia {year} de la Ley Orgánica de Movilidad Humana",
            },
            {
                "started_on": started_on,
                "closed_on": closed_on if closed_on <= today else None,
                "notes": f"Proceso de observancia de {year}: seguimiento de las políticas de "
                "retorno, protección internacional e inserción laboral.",
            },
        )
        _set_m2m(
            process.institutions,
            [i for i in institutions.values() if i.mapped_on <= datetime.date(year, 12, 31)],
        )
        for step, ((m1, d1), (m2, d2)) in STEP_DATES.items():
            begins, ends = datetime.date(year, m1, d1), datetime.date(year, m2, d2)
            if ends <= today:
                values = {
                    "status": ProcessStep.Status.DONE,
                    "started_on": begins,
                    "completed_on": ends,
                }
            elif begins <= today:
                values = {
                    "status": ProcessStep.Status.IN_PROGRESS,
                    "started_on": begins,
                    "completed_on": None,
                }
            else:
                values = {
                    "status": ProcessStep.Status.PENDING,
                    "started_on": None,
                    "completed_on": None,
                }
            _upsert(
                ProcessStep,
                {"process": process, "step": step},
                values | {"notes": STEP_NOTES[step] if values["started_on"] else ""},
            )
        processes[year] = process
    return processes


def _process_on(processes, day):
    return processes[max(year for year in processes if year <= day.year)]


# Step 2: meetings ---------------------------------------------------------------------------

# Three a month; the first moves back to Friday on a weekend, the others forward to Monday, so
# that no two are more than 13 days apart: the dashboard always has one coming.
MEETING_DAYS = [(4, -1, 9, 0), (13, 1, 10, 30), (22, 1, 15, 0)]


def _meeting_day(year, month, day, step):
    date = datetime.date(year, month, day)
    while date.weekday() >= 5:
        date += step * DAY
    return date


def _meetings(institutions, allies, processes, team, today):
    now = timezone.now()
    year, month = 2021, 7
    while datetime.date(year, month, 1) <= today + MEETINGS_AHEAD:
        for slot, (day, step, hour, minute) in enumerate(MEETING_DAYS):
            held_on = _meeting_day(year, month, day, step)
            held_at = _at(held_on, hour, minute)
            if held_at > now + MEETINGS_AHEAD:
                continue
            turn = (year * 12 + month) * len(MEETING_DAYS) + slot
            _meeting(turn, held_at, institutions, allies, processes, team, now)
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)


def _meeting(turn, held_at, institutions, allies, processes, team, now):
    held_on = held_at.date()
    happened = held_at <= now
    virtual = turn % 3 == 1
    if turn % 3 == 2:  # one in three with an ally
        ally = allies[ALLY_ROTATION[turn // 3 % len(ALLY_ROTATION)]]
        lookup = {"held_at": held_at, "ally": ally, "institution": None}
        purpose = ALLY_PURPOSES[turn // 3 % len(ALLY_PURPOSES)]
        place = "Videoconferencia (Zoom)" if virtual else ally.city or "Quito"
        cpccs = ""
    else:
        candidates = [
            institutions[acronym] for acronym in MEETING_ROTATION if acronym in institutions
        ] + [i for key, i in institutions.items() if key not in ROTATION and i.mapped_on <= held_on]
        institution = candidates[turn % len(candidates)]
        lookup = {"held_at": held_at, "institution": institution, "ally": None}
        purpose = INSTITUTION_PURPOSES[turn % len(INSTITUTION_PURPOSES)]
        place = "Videoconferencia (Teams)" if virtual else f"{institution.acronym}, Quito"
        cpccs = "Víctor Cabascango" if turn % 4 == 0 else ""
    meeting = _upsert(
        Meeting,
        lookup,
        {
            "modality": Meeting.Modality.VIRTUAL if virtual else Meeting.Modality.IN_PERSON,
            "place": place,
            "process": _process_on(processes, held_on),
            "cpccs_companion": cpccs,
            "purpose": purpose,
            # The minutes are written once the meeting has been held.
            "outcomes": OUTCOMES[turn % len(OUTCOMES)] if happened else "",
        },
    )
    _set_m2m(meeting.team_members, [team[turn % len(team)], team[(turn + 2) % len(team)]])


# Step 4: information requests ---------------------------------------------------------------


def _request_timeline(plan, sent_on, extra_holidays):
    """[(event, day, notes)] for a request sent on ``sent_on`` that follows ``plan``."""

    def due(extended=False):
        return lotaip.deadline(sent_on, extended=extended, extra_holidays=extra_holidays).due_on

    if plan == "on_time":
        return [(E.ANSWERED_FULLY, sent_on + 6 * DAY, "Respuesta dentro del plazo.")]
    if plan == "late":
        return [(E.ANSWERED_FULLY, due() + 6 * DAY, "Respuesta fuera del plazo de la LOTAIP.")]
    if plan == "extended_on_time":
        return [
            (E.EXTENSION, sent_on + 5 * DAY, "La institución notificó la prórroga de cinco días."),
            (E.ANSWERED_FULLY, due(extended=True) - DAY, "Respuesta dentro de la prórroga."),
        ]
    if plan == "partly":
        return [
            (E.ANSWERED_PARTLY, sent_on + 8 * DAY, "Falta la desagregación solicitada."),
            (E.CORRECTION_ASKED, sent_on + 15 * DAY, "Se pidió completar la información."),
        ]
    if plan == "partly_late":
        return [(E.ANSWERED_PARTLY, due() + 3 * DAY, "Respuesta tardía e incompleta.")]
    if plan == "refused":
        return [
            (
                E.REFUSED,
                sent_on + 7 * DAY,
                "La institución alega reserva de datos personales; se pedirá la información "
                "agregada.",
            )
        ]
    if plan == "overdue_defensoria":
        # The ladder after a tacit denial: the insistence first, then the Defensoría.
        return [
            (
                E.CORRECTION_ASKED,
                due() + 2 * DAY,
                "Insistencia: se recordó a la institución su obligación de responder.",
            ),
            (NO_ANSWER, due() + 13 * DAY, "La institución tampoco respondió a la insistencia."),
            (
                E.DEFENSORIA,
                due() + 15 * DAY,
                "Denegación tácita puesta en conocimiento de la Defensoría del Pueblo.",
            ),
        ]
    if plan == "overdue_extended":
        return [(E.EXTENSION, sent_on + 6 * DAY, "Prórroga notificada por correo.")]
    if plan == "answered_after_the_semester":
        return [(E.ANSWERED_FULLY, sent_on + 8 * DAY, "Respuesta recibida en el nuevo semestre.")]
    raise ValueError(plan)


def _reference(year, half, number):
    return f"Oficio Nro. OPPMS-CN-{year}-{(0 if half == 1 else 100) + number:04d}-O"


def _requests(context, institutions, extra_holidays):
    year, half, start, end, today = (context[k] for k in ("year", "half", "start", "end", "today"))
    for number, (day, plan) in enumerate(REQUEST_PLAN, start=1):
        sent_on = start + (day - 1) * DAY if day > 0 else end + day * DAY
        if sent_on.weekday() >= 5:
            sent_on -= (sent_on.weekday() - 4) * DAY
        reference = _reference(year, half, number)
        if sent_on > today or InformationRequest.objects.filter(reference=reference).exists():
            continue  # Left as it is once sent: its timeline may have moved on since.
        turn = context["index"] * len(REQUEST_PLAN) + number
        institution = institutions[ROTATION[turn % len(ROTATION)]]
        request = InformationRequest.objects.create(
            reference=reference,
            institution=institution,
            subject=SUBJECTS[turn % len(SUBJECTS)],
            sent_on=sent_on,
            process=context["process"],
            channel=InformationRequest.Channel.QUIPUX
            if turn % 2
            else InformationRequest.Channel.EMAIL,
        )
        request.areas.set(institution.demo_areas[:1])
        request_event_record(request=request, kind=E.SENT, occurred_on=sent_on)
        for kind, occurred_on, notes in _request_timeline(plan, sent_on, extra_holidays):
            if occurred_on > today:
                break  # not yet happened
            if kind in {E.ANSWERED_FULLY, E.ANSWERED_PARTLY}:
                request.response_summary = (
                    "Cifras por provincia y servicio, con anexos."
                    if kind == E.ANSWERED_FULLY
                    else "Cifras nacionales sin la desagregación pedida."
                )
            if kind == NO_ANSWER:
                step = request.events.filter(kind__in=RequestEvent.LADDER).order_by(
                    "-occurred_on", "-pk"
                )
                escalation_outcome_record(
                    event=step.first(), outcome=kind, outcome_on=occurred_on, notes=notes
                )
                continue
            request_event_record(request=request, kind=kind, occurred_on=occurred_on, notes=notes)


# Steps 5 to 7: evaluations, publications, recommendations ----------------------------------


def _evaluations(context):
    """The semester's evaluations, by position (None for one not yet made)."""
    year, half, start, today = (context[k] for k in ("year", "half", "start", "today"))
    previous = _previous(year, half)
    prev_start, prev_end = _semester_bounds(*previous)
    plans = [
        (
            start + 20 * DAY,
            f"Evaluación técnica de las respuestas del {_semester_name(*previous)}",
            (prev_start, prev_end),
        ),
        (
            start + 140 * DAY,
            f"Evaluación de la información recibida en el {_semester_name(year, half)}",
            (start, start + 139 * DAY),
        ),
    ]
    evaluations = []
    for number, (evaluated_on, title, (first, last)) in enumerate(plans):
        if evaluated_on > today:
            evaluations.append(None)
            continue
        evaluated = InformationRequest.objects.filter(
            sent_on__gte=first, sent_on__lte=last, answered_on__lte=evaluated_on
        ).select_related("institution")
        rating = RATINGS[(context["index"] * 2 + number) % len(RATINGS)]
        if not evaluated:
            rating = Evaluation.Rating.NO_INFORMATION
        evaluation = _upsert(
            Evaluation,
            {"process": context["process"], "title": title},
            {
                "evaluated_on": evaluated_on,
                "rating": rating,
                "findings": (
                    "La información entregada permite verificar la cobertura de los servicios, "
                    "pero no siempre viene desagregada por provincia, sexo y nacionalidad; "
                    "varias instituciones respondieron fuera del plazo de la LOTAIP."
                ),
                "allies_feedback": (
                    "Las universidades aliadas validaron la metodología y sugirieron cruzar las "
                    "cifras con los registros de ACNUR y OIM."
                ),
            },
        )
        _set_m2m(evaluation.information_requests, evaluated)
        _set_m2m(evaluation.institutions, {r.institution for r in evaluated})
        evaluations.append(evaluation)
    return evaluations


def _publications(context, evaluations, allies):
    year, half, start, today = (context[k] for k in ("year", "half", "start", "today"))
    name = _semester_name(year, half)
    K = Publication.Kind
    ally = allies[ALLY_ROTATION[context["index"] % len(ALLY_ROTATION)]]
    plans = [
        (
            start + 28 * DAY,
            K.REPORT,
            f"Informe de resultados de la observancia: {_semester_name(*_previous(year, half))}",
            True,
            {
                "evaluation": evaluations[0],
                "summary": "Resultados de la evaluación técnica "
                "de las respuestas de las instituciones y recomendaciones planteadas.",
            },
        ),
        (
            start + 75 * DAY,
            K.SOCIALISATION,
            f"Taller de socialización de resultados con {ally.acronym or ally.name} ({name})",
            context["index"] % 2 == 0,
            {
                "evaluation": evaluations[0],
                "place": ally.city or "Quito",
                "attendees": 25 + 7 * (context["index"] % 5),
                "summary": "Diálogo con estudiantes, colectivos de migrantes retornados y "
                "personas refugiadas sobre los resultados de la observancia.",
            },
        ),
        (
            start + 150 * DAY,
            K.PRESS_RELEASE if half == 1 else K.ARTICLE,
            f"Acceso a la información pública sobre movilidad humana en el {name}",
            True,
            {
                "evaluation": evaluations[1],
                "summary": "Cuántas solicitudes respondieron las "
                "instituciones a tiempo, cuántas tarde y cuántas quedaron sin respuesta.",
            },
        ),
    ]
    for published_on, kind, title, public, values in plans:
        if published_on > today:
            continue
        _upsert(
            Publication,
            {"process": context["process"], "title": title},
            {"kind": kind, "published_on": published_on, "is_public": public} | values,
        )


def _previous(year, half):
    return (year - 1, 2) if half == 1 else (year, 1)


def _recommendations(context, institutions, evaluations):
    start, today, index = context["start"], context["today"], context["index"]
    for number, (offset, evaluation) in enumerate(
        [(35, evaluations[0]), (90, evaluations[0]), (155, evaluations[1])]
    ):
        proposed_on = start + offset * DAY
        if proposed_on > today:
            continue
        text, days, follow_ups = RECOMMENDATION_PLANS[(index + number) % len(RECOMMENDATION_PLANS)]
        institution = institutions[ROTATION[(index * 3 + number) % len(ROTATION)]]
        reached = [
            (proposed_on + after * DAY, level, notes)
            for after, level, notes in follow_ups
            if proposed_on + after * DAY <= today
        ]
        fixed = {
            "evaluation": evaluation,
            "text": text,
            "due_on": proposed_on + days * DAY,
            "is_public": number != 1,
        }
        lookup = {"process": context["process"], "institution": institution}
        recommendation = _staged(
            Recommendation,
            lookup | {"proposed_on": proposed_on},
            [(proposed_on, fixed)],  # pending until its first follow-up
        )
        # Each follow-up, then the compliance it brings, dated on its day. (Where saving a
        # follow-up already brings its recommendation in line, the second save finds nothing
        # to change.)
        for day, level, notes in reached:
            follow_up = {"recommendation": recommendation, "checked_on": day}
            if FollowUp.objects.filter(**follow_up).exists():
                continue  # recorded on an earlier run, and its compliance with it
            FollowUp.objects.create(**follow_up, compliance=level, notes=notes)
            recommendation.refresh_from_db()
            _staged(Recommendation, {"pk": recommendation.pk}, [(day, {"compliance": level})])


# Agreements and their agendas, done over time ----------------------------------------------


def _add_months(day, months):
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, min(day.day, 28))


def _agenda_item(agreement, activity, due_on, since, today):
    """An activity pending from ``since``, in progress three months before its date, done on it."""
    begins = max(since, due_on - 90 * DAY)
    stages = [(since, {"due_on": due_on, "status": A.PENDING})]
    if begins <= today:
        stages.append((begins, {"status": A.IN_PROGRESS}))
    if due_on <= today:
        stages.append((due_on, {"status": A.DONE}))
    _staged(AgendaItem, {"agreement": agreement, "activity": activity}, stages)


def _agreements(allies, today):
    for acronym, signed_on, activities in NEW_AGREEMENTS:
        if signed_on > today:
            continue
        ends_on = _add_months(signed_on, 24)
        stages = [
            (
                signed_on,
                {
                    "status": Agreement.Status.IN_EXECUTION,
                    "signed_on": signed_on,
                    "ends_on": ends_on,
                    "areas": "Investigación sobre movilidad humana; análisis técnico de la "
                    "información de las instituciones; socialización de resultados.",
                },
            )
        ]
        if ends_on <= today:
            stages.append((ends_on, {"status": Agreement.Status.CONCLUDED}))
        agreement = _staged(
            Agreement,
            {
                "ally": allies[acronym],
                "title": f"Convenio de cooperación interinstitucional OPPMS – {acronym}",
            },
            stages,
        )
        for activity, months in activities:
            _agenda_item(agreement, activity, _add_months(signed_on, months), signed_on, today)
