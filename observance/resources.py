"""Spreadsheet columns for meetings and information requests, and for the other lists' downloads.

Institutions and allies are named, not numbered, so a spreadsheet typed by a person imports;
a name that matches no record is an error for that row, and then nothing is imported. Each
column is headed by its model field's verbose name (OppmsResource), declared ones included.
"""

from import_export import fields, widgets

from allies.models import Ally
from institutions.models import Institution
from oppms.admin import LocalDateWidget, OppmsResource

from .models import (
    Evaluation,
    InformationRequest,
    Meeting,
    ObservanceProcess,
    Publication,
    PublicPolicy,
    Recommendation,
    TeamMember,
)


def institution_field():
    return fields.Field(
        attribute="institution",
        widget=widgets.ForeignKeyWidget(Institution, field="name"),
    )


def process_field():
    return fields.Field(
        attribute="process",
        widget=widgets.ForeignKeyWidget(ObservanceProcess, field="title"),
    )


class MeetingResource(OppmsResource):
    institution = institution_field()
    ally = fields.Field(attribute="ally", widget=widgets.ForeignKeyWidget(Ally, field="name"))
    process = process_field()
    team_members = fields.Field(
        attribute="team_members",
        widget=widgets.ManyToManyWidget(TeamMember, field="name", separator=";"),
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "held_at",
            "modality",
            "place",
            "link",
            "institution",
            "ally",
            "process",
            "team_members",
            "other_attendees",
            "cpccs_companion",
            "purpose",
            "outcomes",
        ]
        export_order = fields

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("institution", "ally", "process")
            .prefetch_related("team_members")
        )


class InformationRequestResource(OppmsResource):
    institution = institution_field()
    process = process_field()
    # Computed under LOTAIP on save: exported for reference, never read from the file.
    due_on = fields.Field(attribute="due_on", readonly=True, widget=LocalDateWidget())

    class Meta:
        model = InformationRequest
        fields = [
            "id",
            "institution",
            "process",
            "subject",
            "reference",
            "sent_on",
            "channel",
            "extension_notified_on",
            "due_on",
            "outcome",
            "answered_on",
            "response_summary",
        ]
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("institution", "process")


def institutions_field():
    return fields.Field(
        attribute="institutions",
        widget=widgets.ManyToManyWidget(Institution, field="name", separator=";"),
    )


# The lists of steps 1 and 5 to 7 download with these; the admin imports none of them.


class PublicPolicyResource(OppmsResource):
    class Meta:
        model = PublicPolicy
        fields = ["id", "name", "group", "description", "legal_basis"]
        export_order = fields


class ObservanceProcessResource(OppmsResource):
    policy = fields.Field(
        attribute="policy", widget=widgets.ForeignKeyWidget(PublicPolicy, field="name")
    )
    institutions = institutions_field()

    class Meta:
        model = ObservanceProcess
        fields = ["id", "title", "policy", "institutions", "started_on", "closed_on", "notes"]
        export_order = fields


def evaluation_field():
    return fields.Field(
        attribute="evaluation", widget=widgets.ForeignKeyWidget(Evaluation, field="title")
    )


class EvaluationResource(OppmsResource):
    process = process_field()
    institutions = institutions_field()

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "process",
            "title",
            "evaluated_on",
            "institutions",
            "rating",
            "findings",
            "allies_feedback",
        ]
        export_order = fields


class PublicationResource(OppmsResource):
    process = process_field()
    evaluation = evaluation_field()
    institutions = institutions_field()

    class Meta:
        model = Publication
        fields = [
            "id",
            "process",
            "evaluation",
            "kind",
            "title",
            "published_on",
            "institutions",
            "url",
            "place",
            "attendees",
            "summary",
            "is_public",
        ]
        export_order = fields


class RecommendationResource(OppmsResource):
    process = process_field()
    institution = institution_field()
    evaluation = evaluation_field()

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "process",
            "institution",
            "evaluation",
            "text",
            "proposed_on",
            "due_on",
            "compliance",
            "is_public",
        ]
        export_order = fields
