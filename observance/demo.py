"""The 2021 semiannual report's facts as records: the demo data ``manage.py seed_demo`` loads.

Names, roles and figures come from the *Informe semestral de gestión 2021* (20 mapped
institutions, 11 of them met, 10 meetings with universities, agreements with work agendas).
Where the report is silent (which eighteen executing bodies were mapped, the dates of the
meetings, the information requests) the records are plausible and about real Ecuadorian
institutions. The content is data in Spanish, as the observatory's staff would type it.

Loading is idempotent: every record is looked up by its natural key and saved only when a value
differs, so a second run writes nothing, not even history rows.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.apps import apps as django_apps
from django.contrib.auth.models import Group, User
from django.db.models import Q
from django.utils.translation import gettext as _

from allies.models import AgendaItem, Agreement, Ally
from institutions.models import Contact, Institution, ResponsibilityArea
from oppms import roles
from oppms.geography import BORDER_PROVINCES, Province

from . import lotaip
from .models import (
    Commitment,
    Holiday,
    InformationRequest,
    Meeting,
    ObservanceProcess,
    ObservatoryProfile,
    ProcessStep,
    PublicPolicy,
    RequestEvent,
    TeamMember,
)
from .services import (
    escalation_outcome_record,
    information_requests_recompute_due_dates,
    request_event_record,
)

GUAYAQUIL = ZoneInfo("America/Guayaquil")
DEFAULT_PASSWORD = "oppms-demo-2021"
CONSTITUTED_ON = datetime.date(2021, 1, 19)
CPCCS_COMPANION = "Víctor Cabascango"
FIRST_SEMESTER_2021 = (datetime.date(2021, 1, 1), datetime.date(2021, 6, 30))

PROFILE = {
    "name": (
        "Observatorio de Políticas Públicas para Migrantes Retornados y Sujetos de "
        "Protección Internacional"
    ),
    "acronym": "OPPMS",
    "constituted_on": CONSTITUTED_ON,
    # The report states the constitution once, from the act's name and the date above.
    "constitution_act": "Acta Constitutiva",
    "endorsement": "Consejo de Participación Ciudadana y Control Social – CPCCS",
    "definition": (
        "Es un mecanismo de participación ciudadana y control social sobre las políticas "
        "públicas de los distintos niveles de gobierno.\n"
        "Lo integran actores comprometidos de la sociedad civil que han hecho suya, como "
        "temática de interés, la garantía de los derechos y responsabilidades de los migrantes "
        "ecuatorianos retornados y de los sujetos de protección internacional."
    ),
    "object": (
        "El objeto de su observancia son las políticas públicas para Migrantes Ecuatorianos "
        "Retornados y Sujetos de Protección Internacional (Asilados, Refugiados, Apátridas)."
    ),
    "interest_groups": (
        "Migrantes ecuatorianos retornados\n"
        "Sujetos de protección internacional (asilados, refugiados, apátridas) dentro del "
        "Ecuador."
    ),
    "scope": (
        "Garantizar el ejercicio de los derechos y responsabilidades de extranjeros reconocidos "
        "como Sujetos Protección Internacional dentro del Ecuador y de los Migrantes "
        "Ecuatorianos Retornados, a más de la integración socioeconómica y laboral efectiva de "
        "este segundo grupo."
    ),
    "strategy": (
        "Articulación y promoción de políticas públicas vinculadas a las problemáticas sobre "
        "estos dos grupos de interés, en coordinación con los distintos niveles de gobierno, "
        "organizaciones internacionales, organizaciones nacionales, colectivos, sociedad civil, "
        "academia y empresa privada, con un apego tanto a lo estipulado en la constitución y "
        "legislación nacional a más de los instrumentos internacionales sobre derechos humanos "
        "y movilidad humana suscritos por el Ecuador."
    ),
    "mission": (
        "Garantizar el ejercicio de los derechos y responsabilidades de los extranjeros "
        "reconocidos como Sujetos Protección Internacional dentro del Ecuador y los Migrantes "
        "Ecuatorianos Retornados, a más de la integración socioeconómica y laboral efectiva "
        "para estos últimos."
    ),
    "vision": (
        "Ser una organización referente sobre las políticas públicas para Sujetos Protección "
        "Internacional dentro del Ecuador y Migrantes Ecuatorianos Retornados, mediante la "
        "articulación y promoción de políticas públicas vinculadas estos dos grupos de interés, "
        "en coordinación con los distintos niveles de gobierno, organizaciones no "
        "gubernamentales nacionales e internacionales, academia, empresa privada y ciudadanía. "
        "Manteniendo un estricto apego a lo estipulado en la constitución y legislación "
        "nacional, a más de los instrumentos internacionales suscritos por el Ecuador."
    ),
    "lines_of_execution": (
        "Articular, garantizar, promocionar y evaluar las políticas públicas a observar en "
        "coordinación con los distintos niveles de gobierno.\n"
        "Colaborar en el proceso de observancia con nuestros aliados estratégicos "
        "(organizaciones, asociaciones, colectivos, agrupaciones, academia entre otros), "
        "permitiendo la participación e involucramiento de los distintos actores sociales.\n"
        "Actuar en apego tanto a lo estipulado en la constitución y legislación nacional e "
        "instrumentos internacionales vinculantes."
    ),
    # The report's objectives were an image; these restate its observance scheme as goals.
    "objectives": (
        "Identificar las instituciones gubernamentales responsables de las políticas públicas "
        "para migrantes retornados y sujetos de protección internacional.\n"
        "Vincularse con esas instituciones y obtener de ellas información oportuna sobre su "
        "gestión, conforme a la LOTAIP.\n"
        "Evaluar con rigor técnico y transparencia la información recibida, con la participación "
        "de los aliados estratégicos.\n"
        "Publicar y socializar los resultados de la observancia con todos los actores del "
        "proceso.\n"
        "Plantear soluciones, correcciones y mejoras a las instituciones y dar seguimiento a su "
        "cumplimiento."
    ),
    # Also an image in the report: what an observatory registered before the CPCCS rests on.
    "constitution_bases": (
        "Conformación voluntaria por actores de la sociedad civil comprometidos con la "
        "movilidad humana, con autonomía e independencia frente a las instituciones "
        "observadas.\n"
        "Una temática de interés común: las políticas públicas para migrantes ecuatorianos "
        "retornados y sujetos de protección internacional.\n"
        "El ejercicio del derecho a la participación ciudadana y al control social sobre la "
        "gestión pública en todos los niveles de gobierno.\n"
        "El registro ante el CPCCS y el compromiso de rendir cuentas de su gestión cada "
        "semestre."
    ),
    # The report's observance scheme, step by step, in the observatory's words.
    "observance_scheme": (
        "Determinar las instituciones gubernamentales vinculadas o responsables de las "
        "políticas públicas a observar.\n"
        "Vincularse con las instituciones gubernamentales competentes sobre esas políticas "
        "(institución – observatorio).\n"
        "Analizar las áreas o temáticas específicas de responsabilidad de cada institución "
        "competente, según las políticas observadas.\n"
        "Solicitar información a las instituciones competentes sobre esas áreas o temáticas.\n"
        "Evaluar la información de forma técnica y transparente, con la retroalimentación de "
        "los aliados estratégicos y de los actores institucionales del proceso.\n"
        "Publicar, socializar y discutir los resultados de la evaluación con todos los actores "
        "del proceso de observancia.\n"
        "Plantear soluciones, correcciones, mejoras u observaciones a las instituciones."
    ),
    "linkage_results": (
        "Se establecieron nexos y un acercamiento formal con las instituciones "
        "gubernamentales.\n"
        "Se dieron a conocer la temática de observancia, la competencia de cada institución y "
        "los objetivos del observatorio.\n"
        "Se pusieron en marcha distintos mecanismos de vinculación.\n"
        "Se plantearon futuras colaboraciones para llevar adelante iniciativas en favor de los "
        "migrantes retornados y los sujetos de protección internacional.\n"
        "Se abrieron canales formales para acceder a la información sobre las políticas "
        "públicas observadas."
    ),
    "academia_rationale": (
        "La academia aporta al observatorio su potencial técnico, científico e investigativo, "
        "con un enfoque imparcial e independiente."
    ),
    "academia_roles": (
        "Participar en el proceso de observancia con un criterio técnico sustentado en la "
        "ciencia y la investigación.\n"
        "Aportar, como actor social proactivo y dinámico, análisis técnicos sobre las "
        "problemáticas de los migrantes retornados y los sujetos de protección internacional.\n"
        "Colaborar en la determinación, el análisis, la ejecución y la evaluación de "
        "iniciativas en favor de estos dos grupos."
    ),
    "academia_purposes": (
        "Generar conocimiento aplicado que contribuya a construir las políticas públicas.\n"
        "Llevar el conocimiento de la teoría a la práctica y de la práctica a la teoría.\n"
        "Fortalecer las capacidades de investigación de las organizaciones y aplicar lo "
        "aprendido a las necesidades de la sociedad.\n"
        "Conformar redes de investigación colaborativa y de esfuerzos conjuntos.\n"
        "Producir conocimiento como un ecosistema en el que distintos actores demandan, ofrecen "
        "o intermedian conocimiento útil para las políticas públicas.\n"
        "Tender puentes con otros sectores: los medios de comunicación, el Estado en sus "
        "niveles nacional y local, la empresa privada y la ciudadanía."
    ),
    "academia_results": (
        "Se inició la vinculación con universidades abiertas a la temática de movilidad humana "
        "y, en particular, a los grupos en situación o riesgo de vulnerabilidad, como los "
        "migrantes retornados y los sujetos de protección internacional.\n"
        "Por la pandemia, las reuniones con los representantes de las universidades fueron "
        "virtuales; se dio prioridad a las de regiones de frontera por su interacción, potencial "
        "y experiencia en movilidad humana.\n"
        "Las reuniones dieron lugar a acuerdos y a convenios de colaboración en las áreas de "
        "interés y experticia de cada universidad, con agendas de trabajo que están en "
        "ejecución."
    ),
    # The report leaves "Marco Jurídico" blank; these are the norms an observatory rests on.
    "legal_framework": (
        "Constitución de la República del Ecuador (arts. 40, 41, 61, 95, 204 y 392).\n"
        "Ley Orgánica de Participación Ciudadana (art. 79, de los observatorios).\n"
        "Ley Orgánica del Consejo de Participación Ciudadana y Control Social.\n"
        "Ley Orgánica de Movilidad Humana y su Reglamento.\n"
        "Ley Orgánica de Transparencia y Acceso a la Información Pública (LOTAIP).\n"
        "Convención sobre el Estatuto de los Refugiados (1951) y su Protocolo (1967)."
    ),
}

# The report's team, in its order.
TEAM = [
    ("Jhonn Cueva Jimenez", "Coordinador Nacional"),
    ("Santiago Cueva Jiménez", "Subcoordinador Nacional"),
    ("Pablo López Vaca", "Procurador"),
    ("Verónica Villarruel Cueva", "Secretaria"),
    ("Daniela Calderón Gualpa", "Coordinadora de Protocolo"),
]
JHONN, SANTIAGO, PABLO, VERONICA, DANIELA = range(5)

PICHINCHA = Province.PICHINCHA
EXECUTIVE = Institution.Branch.EXECUTIVE
TRANSPARENCY = Institution.Branch.TRANSPARENCY


def _institution(acronym, name, sector, website, mapped_day, areas, *, contacts=(), **extra):
    return {
        "acronym": acronym,
        "name": name,
        "sector": sector,
        "website": website,
        "mapped_on": datetime.date(2021, 1, mapped_day),
        "areas": areas,
        "contacts": contacts,
        "branch": extra.get("branch", EXECUTIVE),
        "role": extra.get("role", Institution.Role.EXECUTOR),
        "province": extra.get("province", PICHINCHA),
    }


# The mapping (step 1): the two policy makers the report names, then eighteen executing bodies.
INSTITUTIONS = [
    _institution(
        "AN",
        "Asamblea Nacional",
        "Legislación",
        "https://www.asambleanacional.gob.ec",
        25,
        [
            (
                "Reformas a la Ley Orgánica de Movilidad Humana",
                "Comisión de Relaciones Internacionales y Movilidad Humana.",
            ),
            ("Fiscalización de la política de movilidad humana", ""),
        ],
        contacts=[
            (
                "Andrea Salazar Mora",
                "Asesora de la Comisión de Relaciones Internacionales y Movilidad Humana",
            )
        ],
        branch=Institution.Branch.LEGISLATIVE,
        role=Institution.Role.POLICY_MAKER,
    ),
    _institution(
        "MREMH",
        "Ministerio de Relaciones Exteriores y Movilidad Humana (Cancillería)",
        "Relaciones exteriores y movilidad humana",
        "https://www.cancilleria.gob.ec",
        25,
        [
            ("Atención a migrantes retornados", "Viceministerio de Movilidad Humana."),
            (
                "Protección internacional: refugio y apatridia",
                "Dirección de Protección Internacional.",
            ),
        ],
        contacts=[
            ("María Fernanda Torres", "Directora de Protección Internacional"),
            ("Luis Andrade Paredes", "Analista de Atención a Migrantes Retornados"),
        ],
        role=Institution.Role.POLICY_MAKER,
    ),
    _institution(
        "MDG",
        "Ministerio de Gobierno",
        "Seguridad interna y control migratorio",
        "https://www.ministeriodegobierno.gob.ec",
        26,
        [("Control migratorio y regularización", "Subsecretaría de Migración.")],
        contacts=[("Diego Herrera Castillo", "Analista de la Subsecretaría de Migración")],
    ),
    _institution(
        "MIES",
        "Ministerio de Inclusión Económica y Social",
        "Inclusión social",
        "https://www.inclusion.gob.ec",
        26,
        [
            ("Inclusión económica de personas en movilidad humana", ""),
            ("Protección especial a grupos de atención prioritaria", ""),
        ],
        contacts=[("Gabriela Ruiz Ortega", "Directora de Servicios de Protección Especial")],
    ),
    _institution(
        "MDT",
        "Ministerio del Trabajo",
        "Trabajo y empleo",
        "https://www.trabajo.gob.ec",
        26,
        [("Inserción laboral de migrantes retornados y personas refugiadas", "")],
        contacts=[("Carlos Mendoza Vera", "Coordinador de Empleo y Salarios")],
    ),
    _institution(
        "MSP",
        "Ministerio de Salud Pública",
        "Salud",
        "https://www.salud.gob.ec",
        26,
        [("Atención de salud a personas en movilidad humana", "")],
    ),
    _institution(
        "MINEDUC",
        "Ministerio de Educación",
        "Educación",
        "https://educacion.gob.ec",
        27,
        [("Acceso a la educación y reconocimiento de estudios", "")],
    ),
    _institution(
        "DPE",
        "Defensoría del Pueblo",
        "Derechos humanos y acceso a la información",
        "https://www.dpe.gob.ec",
        27,
        [
            ("Tutela de derechos de personas en movilidad humana", ""),
            ("Garantía del acceso a la información pública (LOTAIP)", ""),
        ],
        contacts=[("Paola Jaramillo Ríos", "Especialista de Movilidad Humana")],
        branch=TRANSPARENCY,
    ),
    _institution(
        "SDH",
        "Secretaría de Derechos Humanos",
        "Derechos humanos",
        "https://www.derechoshumanos.gob.ec",
        27,
        [("Prevención de la trata de personas y el tráfico de migrantes", "")],
    ),
    _institution(
        "CNIMH",
        "Consejo Nacional para la Igualdad de Movilidad Humana",
        "Igualdad y movilidad humana",
        "https://www.igualdadmovilidad.gob.ec",
        27,
        [("Agenda Nacional para la Igualdad de Movilidad Humana", "")],
        contacts=[("Rocío Villacís Benítez", "Técnica de Transversalización")],
    ),
    _institution(
        "DIGERCIC",
        "Dirección General de Registro Civil, Identificación y Cedulación",
        "Identidad y registro civil",
        "https://www.registrocivil.gob.ec",
        28,
        [("Cedulación de personas refugiadas y apátridas", "")],
    ),
    _institution(
        "SENESCYT",
        "Secretaría de Educación Superior, Ciencia, Tecnología e Innovación",
        "Educación superior",
        "https://www.educacionsuperior.gob.ec",
        28,
        [("Registro de títulos obtenidos en el exterior", "")],
    ),
    _institution(
        "BanEcuador",
        "BanEcuador B.P.",
        "Banca pública",
        "https://www.banecuador.fin.ec",
        28,
        [("Crédito para emprendimientos de migrantes retornados", "")],
    ),
    _institution(
        "CFN",
        "Corporación Financiera Nacional B.P.",
        "Banca pública de desarrollo",
        "https://www.cfn.fin.ec",
        28,
        [("Financiamiento productivo para personas retornadas", "")],
    ),
    _institution(
        "SECAP",
        "Servicio Ecuatoriano de Capacitación Profesional",
        "Capacitación profesional",
        "https://www.secap.gob.ec",
        29,
        [("Capacitación y certificación de competencias laborales", "")],
    ),
    _institution(
        "SB",
        "Superintendencia de Bancos",
        "Control financiero",
        "https://www.superbancos.gob.ec",
        29,
        [("Acceso a servicios financieros de personas refugiadas", "")],
        branch=TRANSPARENCY,
    ),
    _institution(
        "MIDUVI",
        "Ministerio de Desarrollo Urbano y Vivienda",
        "Vivienda",
        "https://www.habitatyvivienda.gob.ec",
        29,
        [("Acceso a vivienda de interés social", "")],
    ),
    _institution(
        "MPCEIP",
        "Ministerio de Producción, Comercio Exterior, Inversiones y Pesca",
        "Producción y emprendimiento",
        "https://www.produccion.gob.ec",
        29,
        [("Fomento de emprendimientos de personas retornadas", "")],
    ),
    _institution(
        "SENAE",
        "Servicio Nacional de Aduana del Ecuador",
        "Aduanas",
        "https://www.aduana.gob.ec",
        29,
        [("Menaje de casa y equipo de trabajo de migrantes retornados", "")],
        province=Province.GUAYAS,
    ),
    _institution(
        "IESS",
        "Instituto Ecuatoriano de Seguridad Social",
        "Seguridad social",
        "https://www.iess.gob.ec",
        29,
        [("Afiliación voluntaria de ecuatorianos en el exterior y retornados", "")],
    ),
]

LINKAGE_OUTCOMES = (
    "Generación de nexos y acercamiento formal con la institución.\n"
    "Socialización de la temática de observancia, la competencia institucional y los "
    "objetivos del observatorio."
)
LINKAGE_COMMITMENTS = (
    "Designar un punto focal institucional.\n"
    "Generar un canal formal para facilitar la información sobre las políticas públicas a "
    "observar."
)
# What the observatory itself took on at each meeting with an institution.
OBSERVATORY_COMMITMENT = (
    "Remitir a la institución el esquema de observancia y el cronograma del observatorio."
)
# The demo's commitments are dated from their meeting: due a month later; every other one was
# done three weeks after the meeting, the rest are still pending (overdue today).
COMMITMENT_DUE_AFTER = datetime.timedelta(days=30)
COMMITMENT_DONE_AFTER = datetime.timedelta(days=21)
FUTURE_COLLABORATION = (
    "Plantear futuras colaboraciones para implementar iniciativas en pro de los Migrantes "
    "Retornados y los Sujetos de Protección Internacional."
)

VIRTUAL = Meeting.Modality.VIRTUAL
IN_PERSON = Meeting.Modality.IN_PERSON


def _at(month, day, hour, minute=0):
    return datetime.datetime(2021, month, day, hour, minute, tzinfo=GUAYAQUIL)


# Linkage (step 2): 14 meetings with 11 distinct institutions, all in the first semester.
INSTITUTION_MEETINGS = [
    (
        "MREMH",
        _at(2, 9, 10),
        IN_PERSON,
        "Cancillería, Quito",
        True,
        [JHONN, SANTIAGO, VERONICA],
        "Presentación del OPPMS y de su esquema de observancia ante la Cancillería.",
        LINKAGE_OUTCOMES,
        LINKAGE_COMMITMENTS,
    ),
    (
        "AN",
        _at(2, 17, 15),
        VIRTUAL,
        "Videoconferencia (Zoom)",
        True,
        [JHONN, PABLO],
        "Vinculación con la Comisión de Relaciones Internacionales y Movilidad Humana.",
        LINKAGE_OUTCOMES,
        "Compartir los proyectos de reforma a la Ley Orgánica de Movilidad Humana en trámite.",
    ),
    (
        "MIES",
        _at(2, 24, 9, 30),
        VIRTUAL,
        "Videoconferencia (Microsoft Teams)",
        False,
        [SANTIAGO, DANIELA],
        "Acercamiento formal y socialización de los objetivos del observatorio.",
        LINKAGE_OUTCOMES,
        LINKAGE_COMMITMENTS,
    ),
    (
        "CNIMH",
        _at(3, 3, 11),
        IN_PERSON,
        "Oficinas del CNIMH, Quito",
        True,
        [JHONN, VERONICA, DANIELA],
        "Articulación con la Agenda Nacional para la Igualdad de Movilidad Humana.",
        LINKAGE_OUTCOMES,
        FUTURE_COLLABORATION,
    ),
    (
        "DPE",
        _at(3, 16, 10),
        VIRTUAL,
        "Videoconferencia (Zoom)",
        True,
        [JHONN, PABLO],
        "Vinculación sobre la tutela de derechos de personas en movilidad humana y el acceso "
        "a la información pública.",
        LINKAGE_OUTCOMES,
        "Orientar al observatorio sobre el trámite ante denegaciones de información.",
    ),
    (
        "MDT",
        _at(3, 25, 14, 30),
        IN_PERSON,
        "Ministerio del Trabajo, Quito",
        False,
        [SANTIAGO, VERONICA],
        "Socialización de la temática de observancia: inserción laboral de migrantes retornados.",
        LINKAGE_OUTCOMES,
        LINKAGE_COMMITMENTS,
    ),
    (
        "SDH",
        _at(4, 8, 10),
        VIRTUAL,
        "Videoconferencia (Zoom)",
        True,
        [JHONN, DANIELA],
        "Vinculación en materia de prevención de trata de personas y tráfico de migrantes.",
        LINKAGE_OUTCOMES,
        FUTURE_COLLABORATION,
    ),
    (
        "MREMH",
        _at(4, 20, 9),
        VIRTUAL,
        "Videoconferencia (Zoom)",
        False,
        [JHONN, SANTIAGO],
        "Seguimiento: mecanismos de vinculación y canal formal de información.",
        "Implementación de mecanismos de vinculación: punto focal designado en el "
        "Viceministerio de Movilidad Humana.",
        "Recibir las solicitudes de información del observatorio por correo institucional.",
    ),
    (
        "MSP",
        _at(4, 28, 15),
        VIRTUAL,
        "Videoconferencia (Microsoft Teams)",
        False,
        [SANTIAGO, VERONICA],
        "Acercamiento sobre la atención de salud a personas en movilidad humana.",
        LINKAGE_OUTCOMES,
        LINKAGE_COMMITMENTS,
    ),
    (
        "MDG",
        _at(5, 6, 10, 30),
        IN_PERSON,
        "Ministerio de Gobierno, Quito",
        True,
        [JHONN, PABLO, VERONICA],
        "Vinculación sobre control migratorio y regularización de personas en movilidad.",
        LINKAGE_OUTCOMES,
        LINKAGE_COMMITMENTS,
    ),
    (
        "MIES",
        _at(5, 19, 11),
        VIRTUAL,
        "Videoconferencia (Zoom)",
        False,
        [VERONICA, DANIELA],
        "Seguimiento: programas de inclusión económica para migrantes retornados.",
        "Planteamiento de futuras colaboraciones en iniciativas de inclusión económica.",
        FUTURE_COLLABORATION,
    ),
    (
        "DIGERCIC",
        _at(6, 2, 10),
        IN_PERSON,
        "Registro Civil, matriz Quito",
        True,
        [SANTIAGO, PABLO],
        "Vinculación sobre la cedulación de personas refugiadas y apátridas.",
        LINKAGE_OUTCOMES,
        LINKAGE_COMMITMENTS,
    ),
    (
        "CNIMH",
        _at(6, 16, 15),
        VIRTUAL,
        "Videoconferencia (Zoom)",
        False,
        [JHONN, VERONICA],
        "Seguimiento de la articulación con la Agenda Nacional para la Igualdad.",
        "Generación de canales formales para facilitar la información.",
        FUTURE_COLLABORATION,
    ),
    # 30/06 at 19:30 in Ecuador is already 1 July in UTC: it still counts for the semester.
    (
        "SENESCYT",
        _at(6, 30, 19, 30),
        VIRTUAL,
        "Videoconferencia (Zoom)",
        False,
        [JHONN, SANTIAGO],
        "Vinculación sobre el registro de títulos de personas retornadas y refugiadas.",
        LINKAGE_OUTCOMES,
        LINKAGE_COMMITMENTS,
    ),
]

ACADEMIA = Ally.Kind.ACADEMIA

# (acronym, name, kind, province, city, website, notes)
ALLIES = [
    (
        "UPEC",
        "Universidad Politécnica Estatal del Carchi",
        ACADEMIA,
        Province.CARCHI,
        "Tulcán",
        "https://www.upec.edu.ec",
        "",
    ),
    (
        "UTMACH",
        "Universidad Técnica de Machala",
        ACADEMIA,
        Province.EL_ORO,
        "Machala",
        "https://www.utmachala.edu.ec",
        "",
    ),
    (
        "UNL",
        "Universidad Nacional de Loja",
        ACADEMIA,
        Province.LOJA,
        "Loja",
        "https://unl.edu.ec",
        "",
    ),
    (
        "PUCESE",
        "Pontificia Universidad Católica del Ecuador Sede Esmeraldas",
        ACADEMIA,
        Province.ESMERALDAS,
        "Esmeraldas",
        "https://www.pucese.edu.ec",
        "",
    ),
    (
        "UTLVTE",
        "Universidad Técnica Luis Vargas Torres de Esmeraldas",
        ACADEMIA,
        Province.ESMERALDAS,
        "Esmeraldas",
        "https://www.utelvt.edu.ec",
        "",
    ),
    (
        "UTN",
        "Universidad Técnica del Norte",
        ACADEMIA,
        Province.IMBABURA,
        "Ibarra",
        "https://www.utn.edu.ec",
        "",
    ),
    (
        "FLACSO",
        "Facultad Latinoamericana de Ciencias Sociales, sede Ecuador",
        ACADEMIA,
        PICHINCHA,
        "Quito",
        "https://www.flacso.edu.ec",
        "",
    ),
    (
        "ACNUR",
        "Alto Comisionado de las Naciones Unidas para los Refugiados",
        Ally.Kind.INTERNATIONAL,
        PICHINCHA,
        "Quito",
        "https://www.acnur.org",
        "",
    ),
    (
        "OIM",
        "Organización Internacional para las Migraciones",
        Ally.Kind.INTERNATIONAL,
        PICHINCHA,
        "Quito",
        "https://ecuador.iom.int",
        "",
    ),
    ("HIAS", "HIAS Ecuador", Ally.Kind.INTERNATIONAL, PICHINCHA, "Quito", "https://hias.org", ""),
    ("", "Misión Scalabriniana Ecuador", Ally.Kind.NATIONAL_NGO, PICHINCHA, "Quito", "", ""),
    ("", "Fundación Alas de Colibrí", Ally.Kind.NATIONAL_NGO, PICHINCHA, "Quito", "", ""),
    (
        "",
        "Cruz Roja Ecuatoriana",
        Ally.Kind.OTHER,
        PICHINCHA,
        "Quito",
        "https://www.cruzroja.org.ec",
        "",
    ),
    (
        "",
        "Colectivo Retorno Digno",
        Ally.Kind.COLLECTIVE,
        Province.AZUAY,
        "Cuenca",
        "",
        "Colectivo de migrantes retornados (registro de demostración).",
    ),
    (
        "",
        "Emprende Retorno Cía. Ltda.",
        Ally.Kind.PRIVATE,
        PICHINCHA,
        "Quito",
        "",
        "Empresa privada de capacitación en emprendimiento (registro de demostración).",
    ),
]

UNIVERSITY_PURPOSE = (
    "Vinculación con la academia: participación en el proceso de observancia con criterio "
    "técnico, científico e investigativo sobre migrantes retornados y sujetos de protección "
    "internacional."
)
UNIVERSITY_FOLLOW_UP = "Seguimiento: borrador de convenio de colaboración y agenda de trabajo."

# The 10 meetings with universities in the semester, all virtual because of the pandemic,
# then meetings with other allies.
ALLY_MEETINGS = [
    ("UPEC", _at(3, 10, 10), VIRTUAL, [JHONN, SANTIAGO], UNIVERSITY_PURPOSE),
    ("UTMACH", _at(3, 18, 15), VIRTUAL, [JHONN, VERONICA], UNIVERSITY_PURPOSE),
    ("UNL", _at(3, 31, 11), VIRTUAL, [SANTIAGO, DANIELA], UNIVERSITY_PURPOSE),
    ("PUCESE", _at(4, 14, 10), VIRTUAL, [JHONN, DANIELA], UNIVERSITY_PURPOSE),
    ("UTLVTE", _at(4, 22, 16), VIRTUAL, [SANTIAGO, VERONICA], UNIVERSITY_PURPOSE),
    ("UTN", _at(5, 5, 9), VIRTUAL, [JHONN, PABLO], UNIVERSITY_PURPOSE),
    ("UPEC", _at(5, 12, 10), VIRTUAL, [JHONN, PABLO], UNIVERSITY_FOLLOW_UP),
    ("UTMACH", _at(5, 26, 15), VIRTUAL, [JHONN, PABLO], UNIVERSITY_FOLLOW_UP),
    ("UNL", _at(6, 9, 11), VIRTUAL, [SANTIAGO, PABLO], UNIVERSITY_FOLLOW_UP),
    ("FLACSO", _at(6, 23, 17), VIRTUAL, [JHONN, VERONICA], UNIVERSITY_PURPOSE),
    (
        "ACNUR",
        _at(2, 25, 10),
        VIRTUAL,
        [JHONN, SANTIAGO],
        "Presentación del observatorio y retroalimentación sobre protección internacional.",
    ),
    (
        "OIM",
        _at(3, 23, 11),
        VIRTUAL,
        [JHONN, DANIELA],
        "Vinculación sobre reintegración de migrantes retornados.",
    ),
    (
        "HIAS",
        _at(4, 27, 10),
        IN_PERSON,
        [SANTIAGO, VERONICA],
        "Vinculación sobre medios de vida de personas refugiadas.",
    ),
    (
        "Misión Scalabriniana Ecuador",
        _at(5, 20, 15),
        IN_PERSON,
        [VERONICA, DANIELA],
        "Vinculación con organizaciones de la sociedad civil que acompañan a personas en "
        "movilidad.",
    ),
]

AGREEMENT_AREAS = (
    "Investigación sobre movilidad humana; análisis técnico de la información de las "
    "instituciones; prácticas preprofesionales; socialización de resultados."
)
P, IP, D = AgendaItem.Status.PENDING, AgendaItem.Status.IN_PROGRESS, AgendaItem.Status.DONE

# (ally acronym, status, signed_on, work agenda [(activity, due_on, status)])
AGREEMENTS = [
    (
        "UPEC",
        Agreement.Status.IN_EXECUTION,
        datetime.date(2021, 5, 28),
        [
            (
                "Taller de socialización de la Ley Orgánica de Movilidad Humana con estudiantes",
                datetime.date(2021, 6, 30),
                D,
            ),
            (
                "Diagnóstico socioeconómico de migrantes retornados en la provincia del Carchi",
                datetime.date(2021, 9, 30),
                IP,
            ),
            (
                "Programa de prácticas preprofesionales en el observatorio",
                datetime.date(2021, 10, 29),
                P,
            ),
        ],
    ),
    (
        "UTMACH",
        Agreement.Status.IN_EXECUTION,
        datetime.date(2021, 6, 15),
        [
            (
                "Levantamiento de información sobre personas refugiadas en la frontera sur",
                datetime.date(2021, 9, 15),
                IP,
            ),
            ("Seminario virtual sobre protección internacional", datetime.date(2021, 11, 26), P),
        ],
    ),
    (
        "UNL",
        Agreement.Status.IN_EXECUTION,
        datetime.date(2021, 6, 25),
        [
            (
                "Análisis técnico de la información entregada por las instituciones",
                datetime.date(2021, 8, 31),
                IP,
            ),
            (
                "Publicación conjunta de resultados de la observancia",
                datetime.date(2021, 12, 15),
                P,
            ),
        ],
    ),
    ("PUCESE", Agreement.Status.NEGOTIATION, None, []),
]

POLICY = {
    "name": "Políticas de la Ley Orgánica de Movilidad Humana para migrantes retornados y "
    "sujetos de protección internacional",
    "group": PublicPolicy.Group.BOTH,
    "description": (
        "Políticas públicas encargadas del ejercicio de los derechos y responsabilidades de los "
        "migrantes ecuatorianos retornados (inserción socioeconómica y laboral) y de las "
        "personas sujetas de protección internacional dentro del Ecuador."
    ),
    "legal_basis": (
        "Constitución de la República del Ecuador, arts. 40, 41 y 392; Ley Orgánica de "
        "Movilidad Humana y su Reglamento."
    ),
}
PROCESS_TITLE = "Observancia 2021 de la Ley Orgánica de Movilidad Humana"
S = ProcessStep.Status
# step: (status, started_on, completed_on, notes)
PROCESS_STEPS = {
    1: (
        S.DONE,
        datetime.date(2021, 1, 19),
        datetime.date(2021, 1, 29),
        "Mapeo de 20 instituciones gubernamentales competentes: 2 generadoras de política "
        "pública y 18 ejecutoras.",
    ),
    2: (
        S.DONE,
        datetime.date(2021, 2, 1),
        datetime.date(2021, 6, 30),
        "11 reuniones consolidadas de las 20 instituciones mapeadas (55 % de la meta), con el "
        "acompañamiento del CPCCS.",
    ),
    3: (
        S.DONE,
        datetime.date(2021, 3, 1),
        datetime.date(2021, 6, 30),
        "Áreas de responsabilidad identificadas por institución.",
    ),
    4: (
        S.IN_PROGRESS,
        datetime.date(2021, 5, 3),
        None,
        "Solicitudes de información enviadas bajo la LOTAIP; seguimiento de respuestas.",
    ),
    5: (S.PENDING, None, None, ""),
    6: (S.PENDING, None, None, ""),
    7: (S.PENDING, None, None, ""),
}

E = RequestEvent.Kind
OUTCOME = RequestEvent.Outcome  # in a timeline: what came of the ladder step before it


def _d(month, day):
    return datetime.date(2021, month, day)


# Information requests of 2021 (step 4): (reference, institution, area index, subject, sent_on,
# summary, timeline [(event, date, notes)]).
REQUESTS_2021 = [
    (
        "Oficio Nro. OPPMS-CN-2021-0012-O",
        "MREMH",
        0,
        "Número de migrantes retornados atendidos en 2020 y servicios brindados",
        _d(5, 3),
        "Estadísticas de atención por provincia y tipo de servicio.",
        [(E.ANSWERED_FULLY, _d(5, 11), "Respuesta dentro del plazo.")],
    ),
    (
        "Oficio Nro. OPPMS-CN-2021-0013-O",
        "MIES",
        0,
        "Acceso de migrantes retornados y personas refugiadas a programas de inclusión económica",
        _d(5, 3),
        "Listado de programas y número de beneficiarios.",
        [(E.ANSWERED_FULLY, _d(6, 1), "Respuesta fuera del plazo de la LOTAIP.")],
    ),
    (
        "Oficio Nro. OPPMS-CN-2021-0014-O",
        "MDT",
        0,
        "Programas de inserción laboral para migrantes retornados y personas refugiadas",
        _d(5, 10),
        "Informe de la bolsa de empleo y de los programas vigentes.",
        [
            (E.EXTENSION, _d(5, 18), "La institución notificó la prórroga de cinco días."),
            (E.ANSWERED_FULLY, _d(5, 21), ""),
        ],
    ),
    (
        "Oficio Nro. OPPMS-CN-2021-0015-O",
        "MSP",
        0,
        "Atención de salud a personas en movilidad humana sin documentación",
        _d(5, 17),
        "Cifras nacionales sin desagregar por provincia ni nacionalidad.",
        [
            (E.ANSWERED_PARTLY, _d(5, 26), "Falta la desagregación solicitada."),
            (E.CORRECTION_ASKED, _d(6, 2), "Se pidió completar la información desagregada."),
        ],
    ),
    (
        "Oficio Nro. OPPMS-CN-2021-0016-O",
        "DIGERCIC",
        0,
        "Cédulas otorgadas a personas refugiadas, desagregadas por nacionalidad y provincia",
        _d(5, 17),
        "",
        [
            (
                E.REFUSED,
                _d(5, 25),
                "La institución alega protección de datos personales; se "
                "pedirá la información agregada y anonimizada.",
            )
        ],
    ),
    (
        "Oficio Nro. OPPMS-CN-2021-0017-O",
        "MDG",
        0,
        "Procedimientos de regularización aplicados a solicitantes de protección internacional",
        _d(6, 1),
        "Protocolos de regularización vigentes.",
        [
            (E.CORRECTION_ASKED, _d(6, 14), "Oficio de insistencia tras la denegación tácita."),
            (OUTCOME.NO_ANSWER, _d(6, 18), ""),
            (
                E.DEFENSORIA,
                _d(6, 21),
                "Denegación tácita puesta en conocimiento de la Defensoría del Pueblo.",
            ),
            (OUTCOME.DELIVERED, _d(7, 12), "La institución entregó la información."),
            (E.ANSWERED_FULLY, _d(7, 12), "Respuesta tras la intervención de la Defensoría."),
        ],
    ),
]


@dataclass(frozen=True)
class RecentRequest:
    """A request whose dates follow today, so the demo always shows live LOTAIP clocks."""

    reference: str
    institution: str
    subject: str
    state: str  # "overdue", "overdue_extended", "due_soon", "extended_open"


RECENT_REQUESTS = [
    RecentRequest(
        "Oficio Nro. OPPMS-CN-SEG-0001-O",
        "BanEcuador",
        "Créditos otorgados a emprendimientos de migrantes retornados",
        "overdue",
    ),
    RecentRequest(
        "Oficio Nro. OPPMS-CN-SEG-0002-O",
        "SENAE",
        "Exoneraciones de menaje de casa concedidas a migrantes retornados",
        "overdue_extended",
    ),
    RecentRequest(
        "Oficio Nro. OPPMS-CN-SEG-0003-O",
        "IESS",
        "Afiliación voluntaria de ecuatorianos retornados",
        "due_soon",
    ),
    RecentRequest(
        "Oficio Nro. OPPMS-CN-SEG-0004-O",
        "CNIMH",
        "Avances de la Agenda Nacional para la Igualdad de Movilidad Humana",
        "extended_open",
    ),
]

USERS = [
    # (username, group, first name, last name, team member index, is_staff)
    ("coordinacion", roles.COORDINACION, "Jhonn", "Cueva Jimenez", JHONN, False),
    ("secretaria", roles.SECRETARIA, "Verónica", "Villarruel Cueva", VERONICA, False),
    ("admin", roles.ADMINISTRACION, "Administración", "OPPMS", None, True),
    ("consulta", roles.CONSULTA, "Consulta", "CPCCS", None, False),
]


def upsert(model, lookup, values=None):
    """Get the record matching ``lookup`` or create it; save only the values that differ.

    Saving an unchanged record would still add a history row, so a rerun would not be a no-op.
    """
    values = values or {}
    record = model.objects.filter(**lookup).first()
    if record is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    if changed:
        for name in changed:
            setattr(record, name, values[name])
        record.save()
    return record


def _weekday_on_or_before(day):
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def _sent_on_for(today, *, extended, earliest, latest, original_before=None, extra=None):
    """The latest weekday send date whose LOTAIP due date falls in [earliest, latest].

    With ``original_before`` the unextended due date must also fall before that day, so that
    only the extension keeps the request open.
    """
    for back in range(1, 90):
        sent_on = today - datetime.timedelta(days=back)
        if sent_on.weekday() >= 5:
            continue
        due_on = lotaip.deadline(sent_on, extended=extended, extra_holidays=extra).due_on
        if original_before is not None:
            original = lotaip.deadline(sent_on, extra_holidays=extra).due_on
            if original >= original_before:
                continue
        if earliest <= due_on <= latest:
            return sent_on
    return None


def recent_timeline(state, today, extra_holidays):
    """(sent_on, [(event, date, notes)]) for a request that should now be in ``state``."""
    day = datetime.timedelta(days=1)
    if state == "overdue":
        # Past its due date, insisted on, and the insistence left unanswered too.
        insisted_on = today - 20 * day
        return _weekday_on_or_before(today - 45 * day), [
            (E.CORRECTION_ASKED, insisted_on, "Oficio de insistencia por denegación tácita.")
        ]
    if state == "overdue_extended":
        sent_on = _weekday_on_or_before(today - 38 * day)
        return sent_on, [(E.EXTENSION, sent_on + 6 * day, "Prórroga notificada por correo.")]
    if state == "due_soon":
        sent_on = _sent_on_for(
            today,
            extended=False,
            earliest=today + day,
            latest=today + 4 * day,
            extra=extra_holidays,
        )
        return sent_on or today, []
    # extended_open: past the first deadline, within the extended one.
    sent_on = (
        _sent_on_for(
            today,
            extended=True,
            earliest=today + day,
            latest=today + 5 * day,
            original_before=today,
            extra=extra_holidays,
        )
        or _sent_on_for(
            today, extended=True, earliest=today + day, latest=today + 5 * day, extra=extra_holidays
        )
        or today
    )
    notified_on = min(sent_on + 5 * day, today)
    return sent_on, [(E.EXTENSION, notified_on, "La institución solicitó la prórroga.")]


def seed_profile_and_team():
    upsert(ObservatoryProfile, {"pk": 1}, PROFILE)
    return [
        upsert(
            TeamMember,
            {"name": name},
            {"role_title": role, "started_on": CONSTITUTED_ON, "ended_on": None, "order": order},
        )
        for order, (name, role) in enumerate(TEAM, start=1)
    ]


def seed_institutions():
    institutions = {}
    for facts in INSTITUTIONS:
        values = {k: v for k, v in facts.items() if k not in {"name", "areas", "contacts"}}
        institution = upsert(Institution, {"name": facts["name"]}, values)
        institutions[facts["acronym"]] = institution
        institution.demo_areas = [
            upsert(
                ResponsibilityArea,
                {"institution": institution, "name": name},
                {"description": description},
            )
            for name, description in facts["areas"]
        ]
        for name, position in facts["contacts"]:
            upsert(Contact, {"institution": institution, "name": name}, {"position": position})
    return institutions


def seed_allies():
    allies = {}
    for acronym, name, kind, province, city, website, notes in ALLIES:
        ally = upsert(
            Ally,
            {"name": name},
            {
                # The 2021 report names these allies without the day each joined: they are
                # taken as allied since the observatory's constitution, so the seeded-today
                # rows still count in its first semester.
                "allied_on": CONSTITUTED_ON,
                "acronym": acronym,
                "kind": kind,
                "province": province,
                "city": city,
                "website": website,
                "notes": notes,
                "border_region": province in BORDER_PROVINCES,
            },
        )
        allies[acronym or name] = ally
    for acronym, status, signed_on, agenda in AGREEMENTS:
        ally = allies[acronym]
        title = f"Convenio de cooperación interinstitucional OPPMS – {acronym}"
        agreement = upsert(
            Agreement,
            {"ally": ally, "title": title},
            {"status": status, "signed_on": signed_on, "areas": AGREEMENT_AREAS},
        )
        for activity, due_on, item_status in agenda:
            upsert(
                AgendaItem,
                {"agreement": agreement, "activity": activity},
                {"due_on": due_on, "status": item_status},
            )
    return allies


def seed_process(institutions):
    policy = upsert(
        PublicPolicy, {"name": POLICY["name"]}, {k: v for k, v in POLICY.items() if k != "name"}
    )
    process = upsert(
        ObservanceProcess,
        {"policy": policy, "title": PROCESS_TITLE},
        {
            "started_on": CONSTITUTED_ON,
            "notes": "Proceso de observancia del primer semestre de 2021 y su seguimiento.",
        },
    )
    if set(process.institutions.all()) != set(institutions.values()):
        process.institutions.set(institutions.values())
    for step, (status, started_on, completed_on, notes) in PROCESS_STEPS.items():
        upsert(
            ProcessStep,
            {"process": process, "step": step},
            {
                "status": status,
                "started_on": started_on,
                "completed_on": completed_on,
                "notes": notes,
            },
        )
    return process


def _set_team(meeting, team, members):
    wanted = {team[i] for i in members}
    if set(meeting.team_members.all()) != wanted:
        meeting.team_members.set(wanted)


def seed_commitments(meeting, text):
    """The meeting's commitments as items: one per line of ``text`` (the counterpart's) and the
    observatory's own; alternately done three weeks after the meeting and still pending."""
    day = meeting.held_at.astimezone(GUAYAQUIL).date()
    items = [(line.strip(), Commitment.Who.COUNTERPART) for line in text.splitlines()]
    items.append((OBSERVATORY_COMMITMENT, Commitment.Who.OBSERVATORY))
    for index, (what, who) in enumerate(items):
        done = index % 2 == 0
        upsert(
            Commitment,
            {"meeting": meeting, "text": what},
            {
                "who": who,
                "due_on": day + COMMITMENT_DUE_AFTER,
                "status": Commitment.Status.DONE if done else Commitment.Status.PENDING,
                "closed_on": day + COMMITMENT_DONE_AFTER if done else None,
                "closing_note": "Cumplido según lo acordado en la reunión." if done else "",
            },
        )


def seed_meetings(team, institutions, allies, process):
    for row in INSTITUTION_MEETINGS:
        acronym, held_at, modality, place, cpccs, members, purpose, outcomes, commitments = row
        meeting = upsert(
            Meeting,
            {"held_at": held_at, "institution": institutions[acronym], "ally": None},
            {
                "modality": modality,
                "place": place,
                "process": process,
                "cpccs_companion": CPCCS_COMPANION if cpccs else "",
                "purpose": purpose,
                "outcomes": outcomes,
            },
        )
        _set_team(meeting, team, members)
        seed_commitments(meeting, commitments)
    for key, held_at, modality, members, purpose in ALLY_MEETINGS:
        meeting = upsert(
            Meeting,
            {"held_at": held_at, "ally": allies[key], "institution": None},
            {
                "modality": modality,
                "place": "Videoconferencia (Zoom)" if modality == VIRTUAL else "Quito",
                "purpose": purpose,
                "outcomes": "Acuerdos de colaboración en áreas de interés y experticia.",
            },
        )
        _set_team(meeting, team, members)


def _create_request(reference, institution, area, subject, sent_on, process, summary, timeline):
    """Create a request and play its timeline through the service, as a user would."""
    if InformationRequest.objects.filter(reference=reference).exists():
        return False  # Left as it is: its timeline may have moved on since the first run.
    request = InformationRequest.objects.create(
        reference=reference,
        institution=institution,
        subject=subject,
        sent_on=sent_on,
        process=process,
        channel=InformationRequest.Channel.QUIPUX,
    )
    request.areas.set([area])
    request_event_record(request=request, kind=E.SENT, occurred_on=sent_on)
    step = None
    for kind, occurred_on, notes in timeline:
        if kind in OUTCOME.values:
            escalation_outcome_record(event=step, outcome=kind, outcome_on=occurred_on, notes=notes)
            continue
        if kind in {E.ANSWERED_FULLY, E.ANSWERED_PARTLY}:
            request.response_summary = summary
        event = request_event_record(
            request=request, kind=kind, occurred_on=occurred_on, notes=notes
        )
        step = event if event.is_ladder_step else step
    return True


def seed_requests(institutions, process, today):
    created = 0
    for reference, acronym, area, subject, sent_on, summary, timeline in REQUESTS_2021:
        institution = institutions[acronym]
        created += _create_request(
            reference,
            institution,
            institution.demo_areas[area],
            subject,
            sent_on,
            process,
            summary,
            timeline,
        )
    extra_holidays = dict(Holiday.objects.values_list("date", "name"))
    for recent in RECENT_REQUESTS:
        if InformationRequest.objects.filter(reference=recent.reference).exists():
            continue
        institution = institutions[recent.institution]
        sent_on, timeline = recent_timeline(recent.state, today, extra_holidays)
        created += _create_request(
            recent.reference,
            institution,
            institution.demo_areas[0],
            recent.subject,
            sent_on,
            process,
            "",
            timeline,
        )
    return created


def seed_users(team, password):
    logins = []
    for username, group_name, first_name, last_name, member, is_staff in USERS:
        user = upsert(
            User,
            {"username": username},
            {
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@oppms.example.org",
                "is_staff": is_staff,
                "is_superuser": False,
                "is_active": True,
            },
        )
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        group = Group.objects.get(name=group_name)
        if list(user.groups.all()) != [group]:
            user.groups.set([group])
        if member is not None and team[member].user_id != user.pk:
            team[member].user = user
            team[member].save()
        logins.append((username, group_name))
    return logins


@dataclass
class Summary:
    logins: list
    figures: dict


def figures(today):
    """The demo's headline figures, computed from the records as the report will.

    Labelled in the active language: ``seed_demo`` prints them in Spanish.
    """
    start, end = FIRST_SEMESTER_2021
    in_semester = Q(held_at__date__gte=start, held_at__date__lte=end)
    meetings = Meeting.objects.filter(in_semester)
    mapped = Institution.objects.filter(mapped_on__lte=end).count()
    met = meetings.filter(institution__isnull=False).values("institution").distinct().count()
    requests = InformationRequest.objects
    return {
        _("team members"): TeamMember.objects.count(),
        _("institutions mapped (2021-S1)"): mapped,
        _("institutions met (2021-S1)"): met,
        _("linkage goal met"): f"{round(100 * met / mapped) if mapped else 0} %",
        _("meetings with institutions (2021-S1)"): meetings.filter(
            institution__isnull=False
        ).count(),
        _("meetings with universities (2021-S1)"): meetings.filter(ally__kind=ACADEMIA).count(),
        _("allies"): Ally.objects.count(),
        _("agreements in execution"): Agreement.objects.filter(
            status=Agreement.Status.IN_EXECUTION
        ).count(),
        _("information requests"): requests.count(),
        _("overdue requests"): requests.overdue(today).count(),
        _("requests due within 5 days"): requests.due_within(5, today).count(),
    }


def seed_demo(*, password=DEFAULT_PASSWORD, today=None):
    """Load the demo records; the caller wraps it in a transaction. Returns a Summary."""
    from django.utils import timezone

    today = today or timezone.localdate()
    team = seed_profile_and_team()
    institutions = seed_institutions()
    allies = seed_allies()
    process = seed_process(institutions)
    seed_meetings(team, institutions, allies, process)
    seed_requests(institutions, process, today)
    from .demo_continuation import seed_continuation  # it reuses upsert from here

    seed_continuation(
        institutions=institutions, allies=allies, process=process, team=team, today=today
    )
    # Open requests seeded under another LOTAIP_DAY_COUNTING follow the current one.
    information_requests_recompute_due_dates()
    # The roles come from a migration; a flushed database (tests, a restore) may lack them.
    roles.sync_roles(django_apps)
    logins = seed_users(team, password)
    return Summary(logins=logins, figures=figures(today))
