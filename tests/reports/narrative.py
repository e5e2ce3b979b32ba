"""The texts a report needs before it can be finalized, written as the secretaria would."""

from observance.models import ObservatoryProfile
from reports.models import SemiannualReport

PROFILE_TEXTS = {
    "mission": "Vigilar el cumplimiento de las políticas públicas de movilidad humana.",
    "vision": "Ser el observatorio ciudadano de referencia en movilidad humana.",
    "objectives": "Vincularse con las instituciones.\nEvaluar la información recibida.",
}
NARRATIVE = {
    "linkage_analysis": "Las instituciones respondieron a la convocatoria del observatorio.",
    "conclusions": "El semestre consolidó la vinculación con las instituciones mapeadas.",
    "next_semester_plans": "Dar seguimiento a las solicitudes de información pendientes.",
}


def write_the_narrative(period):
    """Fill in what finalizing ``period``'s report asks for, keeping any text already there."""
    profile = ObservatoryProfile.load() or ObservatoryProfile(
        name="Observatorio de Políticas Públicas para Migrantes Retornados", acronym="OPPMS"
    )
    for field, text in PROFILE_TEXTS.items():
        if not getattr(profile, field).strip():
            setattr(profile, field, text)
    profile.save()
    report, _created = SemiannualReport.objects.get_or_create(year=period.year, half=period.half)
    for field, text in NARRATIVE.items():
        if not getattr(report, field).strip():
            setattr(report, field, text)
    report.save()
    return report
