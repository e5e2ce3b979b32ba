"""The report's sections, in the order of the 2021 report, the Spanish title of each, and the
narrative a report needs before it can be finalized.

Titles are English msgids like every source string; ``SPANISH_TITLES`` records what each must
read once the catalogue is translated, so the translator and the tests have one reference.
"""

import re
import unicodedata

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

SECTIONS = [
    ("introduction", _("Introduction and background")),
    ("mission", _("Mission, vision and objectives")),
    ("team", _("Team and observance scheme")),
    ("linkage", _("Linkage with government institutions")),
    ("linkage_analysis", _("Analysis of the linkage process")),
    ("allies", _("Strategic allies")),
    ("academia", _("Linkage with academia")),
    ("requests", _("Information requests")),
    ("evaluations", _("Evaluations and publications")),
    ("recommendations", _("Recommendations and their compliance")),
    ("processes", _("Progress of the observance processes")),
    ("conclusions", _("Conclusions and plans for the next semester")),
    ("annex", _("Annex: records of the period")),
]

SPANISH_TITLES = {
    "Introduction and background": "Introducción y antecedentes",
    "Mission, vision and objectives": "Misión, visión y objetivos",
    "Team and observance scheme": "Equipo de trabajo y proceso de observancia",
    "Linkage with government institutions": "Vinculación con instituciones gubernamentales",
    "Analysis of the linkage process": "Análisis del proceso de vinculación",
    "Strategic allies": "Aliados estratégicos",
    "Linkage with academia": "Vinculación con la academia",
    "Information requests": "Solicitudes de información",
    "Evaluations and publications": "Evaluaciones y publicaciones",
    "Recommendations and their compliance": "Recomendaciones y su cumplimiento",
    "Progress of the observance processes": "Avance de los procesos de observancia",
    "Conclusions and plans for the next semester": (
        "Conclusiones y planteamientos para el próximo semestre"
    ),
    "Annex: records of the period": "Anexo: registros del periodo",
    "Semiannual management report": "Informe semestral de gestión",
    "Contents": "Contenido",
}

# The narrative the report cannot go out without: where each text lives, the section that
# shows it, and what the secretaria calls it. A report is finalized only when every one of them
# is written and none still holds a placeholder.
REQUIRED_NARRATIVE = [
    ("report", "linkage_analysis", "linkage_analysis", _("Analysis")),
    ("report", "conclusions", "conclusions", _("Conclusions")),
    ("report", "next_semester_plans", "conclusions", _("Plans for the next semester")),
    ("profile", "mission", "mission", _("Our mission")),
    ("profile", "vision", "mission", _("Our vision")),
    ("profile", "objectives", "mission", _("Objectives")),
]

NARRATIVE_MISSING = _(
    "The report cannot be finalized while a text it needs is empty or holds a placeholder:"
)

# Openings of a text that stands in for one not yet written, compared without accents or case:
# the report's own "Aún no se ha redactado…" pasted back, or the usual drafting markers.
PLACEHOLDER = re.compile(
    r"^(aun no se ha|aun no se han|todavia no se ha|por redactar|pendiente de redactar|"
    r"texto provisional|lorem ipsum|tbd\b|todo:|xxx|\[?completar|\.\.\.$|…$|"
    r"the .* (has|have) not been (written|recorded))"
    r"|lorem ipsum|aun no se ha redactado|aun no se han redactado"
)


def _plain(text):
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def is_placeholder(text):
    return bool(PLACEHOLDER.search(_plain(text)))


def narrative_missing(report, profile):
    """What keeps ``report`` from being finalized: each required text empty or a placeholder.

    Returns one dict per problem, in the report's order, with the message to show and the page
    where it is fixed (the report's narrative or the observatory's profile).
    """
    titles = dict(SECTIONS)
    edit_urls = {
        "report": reverse("reports:report-edit", args=[report.year, report.half]),
        "profile": reverse("observance:profile-update"),
    }
    missing = []
    for source, field, section, what in REQUIRED_NARRATIVE:
        record = report if source == "report" else profile
        text = getattr(record, field, "") if record is not None else ""
        if text.strip() and not is_placeholder(text):
            continue
        params = {"section": titles[section], "what": what}
        if text.strip():
            message = _("%(section)s: “%(what)s” still holds a placeholder.") % params
        else:
            message = _("%(section)s: “%(what)s” has not been written.") % params
        missing.append(
            {"section": section, "field": field, "message": message, "url": edit_urls[source]}
        )
    return missing
