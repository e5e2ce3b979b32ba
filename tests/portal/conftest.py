"""A database holding, side by side, what the portal may show and what it must never show."""

import datetime
import hashlib
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from institutions.models import Contact
from observance.models import ObservatoryProfile, Publication, Recommendation
from reports.models import SemiannualReport
from tests.institutions.factories import make_institution
from tests.observance.page_data import (
    PDF_BYTES,
    make_process,
    make_publication,
    make_recommendation,
    make_request,
    make_team_member,
)

Compliance = Recommendation.Compliance
# Every private value carries this mark, so that a page leaking any of them is caught by one check.
SECRET = "PRIVADO"
PRIVATE_PDF = PDF_BYTES + b"\n% a different draft\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_final_report(year, half, content=PDF_BYTES):
    report = SemiannualReport(
        year=year,
        half=half,
        status=SemiannualReport.Status.FINAL,
        finalized_at=timezone.make_aware(datetime.datetime(year, 7 if half == 1 else 12, 5, 10)),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    report.pdf.save(f"{year}-S{half}.pdf", ContentFile(content))
    return report


@dataclass
class World:
    public_publication: Publication
    private_publication: Publication
    public_recommendation: Recommendation
    private_recommendation: Recommendation
    final_report: SemiannualReport
    draft_report: SemiannualReport
    contact: Contact


@pytest.fixture
def world(db):
    ObservatoryProfile.objects.create(
        name="Observatorio de Políticas Públicas para Migrantes Retornados",
        acronym="OPPMS",
        cpccs_registration="CPCCS-OC-2021-001",
        definition="Un observatorio ciudadano.",
        mission="Vigilar las políticas públicas.",
        vision="Políticas que cumplen.",
        interest_groups="Migrantes retornados\nPersonas refugiadas",
        # Internal texts of the profile the portal does not show.
        academia_rationale=f"{SECRET} razonamiento interno",
    )
    make_team_member(name="María Coordinadora", role_title="Coordinadora Nacional")
    make_team_member(
        name=f"{SECRET} Exintegrante",
        started_on=datetime.date(2020, 1, 1),
        ended_on=datetime.date(2020, 12, 31),
    )
    institution = make_institution(name="Ministerio de Relaciones Exteriores", acronym="MREMH")
    contact = Contact.objects.create(
        institution=institution,
        name=f"{SECRET} Contacto",
        email="privado.contacto@example.org",
        phone="0999999999",
    )
    process = make_process(institutions=[institution], title=f"{SECRET} proceso interno")
    make_request(institution=institution, subject=f"{SECRET} asunto de la solicitud")
    public_publication = make_publication(
        process=process,
        title="Informe de evaluación publicado",
        kind=Publication.Kind.REPORT,
        is_public=True,
    )
    public_publication.document.save("evaluacion.pdf", ContentFile(PDF_BYTES))
    public_publication.institutions.add(institution)
    make_publication(
        process=process,
        title="Socialización en Quito",
        kind=Publication.Kind.SOCIALISATION,
        place="Quito",
        attendees=40,
        is_public=True,
    )
    private_publication = make_publication(
        process=process, title=f"{SECRET} borrador de publicación", summary=f"{SECRET} resumen"
    )
    private_publication.document.save("borrador.pdf", ContentFile(PRIVATE_PDF))
    public_recommendation = make_recommendation(
        process=process,
        institution=institution,
        text="Publicar la información de retornados",
        compliance=Compliance.PARTLY_COMPLIED,
        is_public=True,
    )
    private_recommendation = make_recommendation(
        process=process,
        institution=institution,
        text=f"{SECRET} recomendación interna",
        compliance=Compliance.NOT_COMPLIED,
    )
    # An institution whose only recommendation is private must not appear at all.
    make_recommendation(
        process=process,
        institution=make_institution(name=f"{SECRET} Institución sin públicas", acronym="ISP"),
        text=f"{SECRET} otra recomendación",
    )
    final_report = make_final_report(2021, 1)
    draft_report = SemiannualReport.objects.create(
        year=2021, half=2, conclusions=f"{SECRET} conclusiones del borrador"
    )
    return World(
        public_publication=public_publication,
        private_publication=private_publication,
        public_recommendation=public_recommendation,
        private_recommendation=private_recommendation,
        final_report=final_report,
        draft_report=draft_report,
        contact=contact,
    )
