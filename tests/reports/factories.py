"""Copies of a semester's records, made with bulk_create, for query-count tests and the benchmark.

``clone_semester(source=..., target=..., factor=N)`` adds N copies of everything the report of
``source`` counts (institutions mapped by its end, allies, meetings, requests, agreements with
their agendas, processes with their steps, evaluations, publications, recommendations with
their follow-ups), dated in ``target``. With target == source it multiplies the semester's own
records.
"""

import datetime

from django.utils import timezone

from allies.models import AgendaItem, Agreement, Ally
from institutions.models import Institution
from observance.models import (
    Evaluation,
    FollowUp,
    InformationRequest,
    Meeting,
    ObservanceProcess,
    ProcessStep,
    Publication,
    Recommendation,
)
from reports.periods import observatory_zone


def _shift(day, years):
    if day is None or years == 0:
        return day
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _shift_moment(moment, years):
    local = timezone.localtime(moment, observatory_zone())
    return _shift(local, years)


def clone_semester(*, source, target, factor, tag="copy"):
    years = target.year - source.year
    if target.half != source.half:
        raise ValueError("Copies keep the half: dates move by whole years.")
    institutions = list(Institution.objects.filter(active=True, mapped_on__lte=source.end))
    allies = list(Ally.objects.all())
    meetings = list(
        Meeting.objects.filter(held_at__gte=source.starts_at, held_at__lt=source.ends_before)
    )
    requests = list(
        InformationRequest.objects.filter(sent_on__gte=source.start, sent_on__lte=source.end)
    )
    agreements = list(Agreement.objects.filter(signed_on__lte=source.end).exclude(signed_on=None))
    items = list(AgendaItem.objects.filter(agreement__in=agreements))
    processes = list(ObservanceProcess.objects.filter(started_on__lte=source.end))
    steps = list(ProcessStep.objects.filter(process__in=processes))
    evaluations = list(
        Evaluation.objects.filter(evaluated_on__gte=source.start, evaluated_on__lte=source.end)
    )
    publications = list(
        Publication.objects.filter(published_on__gte=source.start, published_on__lte=source.end)
    )
    recommendations = list(
        Recommendation.objects.filter(proposed_on__gte=source.start, proposed_on__lte=source.end)
    )
    follow_ups = list(FollowUp.objects.filter(recommendation__in=recommendations))

    for copy in range(factor):
        suffix = f" [{tag} {target.code} {copy}]"
        new_institutions = Institution.objects.bulk_create(
            [
                Institution(
                    name=i.name + suffix,
                    acronym=i.acronym,
                    role=i.role,
                    branch=i.branch,
                    level=i.level,
                    mapped_on=_shift(i.mapped_on, years),
                )
                for i in institutions
            ]
        )
        institution_map = {
            old.pk: new for old, new in zip(institutions, new_institutions, strict=True)
        }
        new_allies = Ally.objects.bulk_create(
            [
                Ally(
                    name=a.name + suffix,
                    acronym=a.acronym,
                    kind=a.kind,
                    city=a.city,
                    province=a.province,
                    border_region=a.border_region,
                )
                for a in allies
            ]
        )
        ally_map = {old.pk: new for old, new in zip(allies, new_allies, strict=True)}
        new_processes = ObservanceProcess.objects.bulk_create(
            [
                ObservanceProcess(
                    policy_id=p.policy_id,
                    title=p.title + suffix,
                    started_on=_shift(p.started_on, years),
                    closed_on=_shift(p.closed_on, years),
                )
                for p in processes
            ]
        )
        process_map = {old.pk: new for old, new in zip(processes, new_processes, strict=True)}
        ProcessStep.objects.bulk_create(
            [
                ProcessStep(process=process_map[s.process_id], step=s.step, status=s.status)
                for s in steps
            ]
        )
        Meeting.objects.bulk_create(
            [
                Meeting(
                    held_at=_shift_moment(m.held_at, years),
                    modality=m.modality,
                    institution=institution_map.get(m.institution_id),
                    ally=ally_map.get(m.ally_id),
                    cpccs_companion=m.cpccs_companion,
                    purpose=m.purpose,
                    outcomes=m.outcomes,
                )
                for m in meetings
                if m.institution_id in institution_map or m.ally_id in ally_map
            ]
        )
        InformationRequest.objects.bulk_create(
            [
                InformationRequest(
                    institution=institution_map.get(r.institution_id, r.institution),
                    subject=r.subject,
                    sent_on=_shift(r.sent_on, years),
                    extension_notified_on=_shift(r.extension_notified_on, years),
                    due_on=_shift(r.due_on, years),
                    outcome=r.outcome,
                    answered_on=_shift(r.answered_on, years),
                )
                for r in requests
            ]
        )
        new_agreements = Agreement.objects.bulk_create(
            [
                Agreement(
                    ally=ally_map[a.ally_id],
                    title=a.title + suffix,
                    signed_on=_shift(a.signed_on, years),
                    ends_on=_shift(a.ends_on, years),
                    status=a.status,
                )
                for a in agreements
            ]
        )
        agreement_map = {old.pk: new for old, new in zip(agreements, new_agreements, strict=True)}
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(
                    agreement=agreement_map[i.agreement_id],
                    activity=i.activity,
                    due_on=_shift(i.due_on, years),
                    status=i.status,
                )
                for i in items
            ]
        )
        Evaluation.objects.bulk_create(
            [
                Evaluation(
                    process=process_map.get(e.process_id, e.process),
                    title=e.title + suffix,
                    evaluated_on=_shift(e.evaluated_on, years),
                    rating=e.rating,
                    findings=e.findings,
                )
                for e in evaluations
            ]
        )
        Publication.objects.bulk_create(
            [
                Publication(
                    process=process_map.get(p.process_id, p.process),
                    kind=p.kind,
                    title=p.title + suffix,
                    published_on=_shift(p.published_on, years),
                    attendees=p.attendees,
                )
                for p in publications
            ]
        )
        new_recommendations = Recommendation.objects.bulk_create(
            [
                Recommendation(
                    process=process_map.get(r.process_id, r.process),
                    institution=institution_map.get(r.institution_id, r.institution),
                    text=r.text,
                    proposed_on=_shift(r.proposed_on, years),
                    due_on=_shift(r.due_on, years),
                    compliance=r.compliance,
                )
                for r in recommendations
            ]
        )
        recommendation_map = {
            old.pk: new.pk for old, new in zip(recommendations, new_recommendations, strict=True)
        }
        FollowUp.objects.bulk_create(
            [
                FollowUp(
                    recommendation_id=recommendation_map[f.recommendation_id],
                    checked_on=_shift(f.checked_on, years),
                    compliance=f.compliance,
                    notes=f.notes,
                )
                for f in follow_ups
            ]
        )


def add_evaluation_records(period):
    """One evaluation, publication and recommendation in ``period`` (the demo has none yet)."""
    process = ObservanceProcess.objects.order_by("pk").first()
    institution = Institution.objects.order_by("pk").first()
    day = period.start + datetime.timedelta(days=40)
    evaluation = Evaluation.objects.create(
        process=process,
        title="Evaluación de respuestas",
        evaluated_on=day,
        rating=Evaluation.Rating.PARTIAL,
        findings="Respuestas incompletas.",
    )
    Publication.objects.create(
        process=process,
        evaluation=evaluation,
        kind=Publication.Kind.SOCIALISATION,
        title="Socialización de resultados",
        published_on=day,
        attendees=25,
    )
    Recommendation.objects.create(
        process=process,
        institution=institution,
        evaluation=evaluation,
        text="Publicar la ruta de atención a retornados.",
        proposed_on=day,
    )
