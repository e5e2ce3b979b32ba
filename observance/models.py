import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from allies.models import Ally
from institutions.models import Institution, ResponsibilityArea
from oppms.models import GuardedModel, GuardedQuerySet
from oppms.uploads import UploadTo, validate_document

from . import lotaip
from .escalation import DEFAULT_TERMS, EscalationOutcome, Ladder

UPLOAD_HELP = _("PDF, DOC, DOCX, ODT, JPG or PNG, 20 MB at most.")


class Step(models.IntegerChoices):
    """The seven steps of the observance scheme (Esquema de observancia)."""

    INSTITUTIONS = 1, _("Identification of institutions")
    LINKAGE = 2, _("Linkage")
    AREAS = 3, _("Analysis of areas")
    INFORMATION_REQUEST = 4, _("Information request")
    EVALUATION = 5, _("Technical evaluation")
    PUBLICATION = 6, _("Publication and socialisation")
    SOLUTIONS = 7, _("Proposal of solutions")


class ObservatoryProfile(GuardedModel):
    """The observatory's own description: one record, shown in the report's first pages."""

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=30)
    constituted_on = models.DateField(_("constituted on"), null=True, blank=True)
    constitution_act = models.CharField(
        _("constitution act"),
        max_length=255,
        blank=True,
        help_text=_(
            "The name of the act by which it was constituted before the CPCCS, e.g. Acta "
            "Constitutiva; the report adds its date."
        ),
    )
    cpccs_registration = models.CharField(_("CPCCS registration"), max_length=255, blank=True)
    endorsement = models.CharField(
        _("endorsement"), max_length=255, blank=True, help_text=_("The report cover's Aval line.")
    )
    definition = models.TextField(_("definition"), blank=True)
    object = models.TextField(_("object of observance"), blank=True)
    interest_groups = models.TextField(
        _("interest groups"), blank=True, help_text=_("One per line.")
    )
    scope = models.TextField(_("scope of action"), blank=True)
    strategy = models.TextField(_("strategy"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    vision = models.TextField(_("vision"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True, help_text=_("One per line."))
    lines_of_execution = models.TextField(
        _("lines of execution"), blank=True, help_text=_("One per line.")
    )
    legal_framework = models.TextField(_("legal framework"), blank=True)
    constitution_bases = models.TextField(
        _("bases of its constitution"),
        blank=True,
        help_text=_("What the observatory was constituted on, one point per line."),
    )
    linkage_results = models.TextField(
        _("results of the linkage with institutions"),
        blank=True,
        help_text=_(
            "What the meetings with government institutions achieve, one point per line: the "
            "report's analysis of the linkage process lists them."
        ),
    )
    observance_scheme = models.TextField(
        _("observance scheme"),
        blank=True,
        help_text=_(
            "How the observatory carries out each of the seven steps, one line per step in "
            "their order: the report lists them under the steps' names."
        ),
    )
    academia_rationale = models.TextField(
        _("why the academy is a strategic ally"),
        blank=True,
        help_text=_("Opens the report's section on the linkage with academia."),
    )
    academia_roles = models.TextField(
        _("roles of the academy"),
        blank=True,
        help_text=_("What the universities do in the observance process, one per line."),
    )
    academia_purposes = models.TextField(
        _("purposes and objectives of the linkage with academia"),
        blank=True,
        help_text=_("One per line."),
    )
    academia_results = models.TextField(
        _("results of the linkage with academia"),
        blank=True,
        help_text=_(
            "What the linkage with universities achieved, one point per line; the report adds "
            "the number of meetings and agreements from the records."
        ),
    )

    history = HistoricalRecords()

    # The texts the report shows as lists, one item per line.
    LIST_FIELDS = [
        "interest_groups",
        "objectives",
        "lines_of_execution",
        "constitution_bases",
        "linkage_results",
        "observance_scheme",
        "academia_roles",
        "academia_purposes",
        "academia_results",
    ]

    class Meta:
        verbose_name = _("observatory profile")
        verbose_name_plural = _("observatory profile")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="observance_profile_single_record")
        ]

    def __str__(self):
        return self.acronym or self.name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("observance:profile")

    @classmethod
    def load(cls):
        return cls.objects.filter(pk=1).first()

    def report_data(self):
        """The profile as the report shows it: JSON-ready, the list fields split into lines."""
        data = {
            field.name: field.value_from_object(self)
            for field in self._meta.concrete_fields
            if field.name != "id"
        }
        for name in self.LIST_FIELDS:
            data[name] = [line.strip() for line in data[name].splitlines() if line.strip()]
        return data


class TeamMember(GuardedModel):
    """A person on the observatory's team and the role they hold."""

    name = models.CharField(_("name"), max_length=200)
    role_title = models.CharField(
        _("role"), max_length=120, help_text=_("E.g. Coordinador Nacional, Secretaria.")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team_member",
        verbose_name=_("user account"),
    )
    started_on = models.DateField(_("active from"))
    ended_on = models.DateField(_("active until"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Position in the team's listing.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="observance_teammember_ends_after_start",
                violation_error_message=_("A team member cannot leave before joining."),
            )
        ]

    def __str__(self):
        return f"{self.name} — {self.role_title}"

    def get_absolute_url(self):
        return reverse("observance:team")


class PublicPolicy(GuardedModel):
    """A public policy the observatory watches, and the group it serves."""

    class Group(models.TextChoices):
        RETURNED_MIGRANTS = "returned", _("Returned Ecuadorian migrants")
        INTERNATIONAL_PROTECTION = "protection", _("People under international protection")
        BOTH = "both", _("Both groups")

    name = models.CharField(_("name"), max_length=255, unique=True)
    group = models.CharField(_("group served"), max_length=20, choices=Group)
    description = models.TextField(_("description"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("public policy")
        verbose_name_plural = _("public policies")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("observance:policy-detail", args=[self.pk])


class ObservanceProcess(GuardedModel):
    """One public policy followed through the seven steps of the observance scheme."""

    policy = models.ForeignKey(
        PublicPolicy,
        on_delete=models.PROTECT,
        related_name="processes",
        verbose_name=_("public policy"),
    )
    title = models.CharField(_("title"), max_length=255)
    institutions = models.ManyToManyField(
        Institution,
        blank=True,
        related_name="processes",
        verbose_name=_("responsible institutions"),
        help_text=_("The institutions mapped as responsible for this policy (step 1)."),
    )
    started_on = models.DateField(_("started on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(m2m_fields=[institutions])

    class Meta:
        ordering = ["-started_on", "title"]
        verbose_name = _("observance process")
        verbose_name_plural = _("observance processes")
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("started_on")),
                name="observance_process_closes_after_start",
                violation_error_message=_("A process cannot close before it starts."),
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        creating = self._state.adding
        super().save(*args, **kwargs)
        if creating:
            # A process is, by definition, its seven steps: they exist from the first moment.
            bulk_create_with_history(
                [ProcessStep(process=self, step=step) for step in Step], ProcessStep
            )

    def get_absolute_url(self):
        return reverse("observance:process-detail", args=[self.pk])


class ProcessStep(GuardedModel):
    """Where one observance process stands in one step of the cycle."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    process = models.ForeignKey(
        ObservanceProcess,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("observance process"),
    )
    step = models.PositiveSmallIntegerField(_("step"), choices=Step)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["process", "step"]
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "step"], name="observance_processstep_one_per_step"
            ),
            models.CheckConstraint(
                condition=Q(step__gte=1, step__lte=7), name="observance_processstep_valid_step"
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(completed_on__gte=F("started_on")),
                name="observance_processstep_completes_after_start",
                violation_error_message=_("A step cannot be completed before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.process} — {self.step}. {self.get_step_display()}"

    def get_absolute_url(self):
        return self.process.get_absolute_url()


class Meeting(GuardedModel):
    """A meeting with an institution or an ally (step 2 of the cycle: linkage)."""

    class Modality(models.TextChoices):
        VIRTUAL = "virtual", _("Virtual")
        IN_PERSON = "in_person", _("In person")

    held_at = models.DateTimeField(_("date and time"))
    modality = models.CharField(_("modality"), max_length=20, choices=Modality)
    place = models.CharField(_("place"), max_length=255, blank=True)
    link = models.URLField(_("link"), blank=True, help_text=_("Video-call link, if virtual."))
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("institution"),
    )
    ally = models.ForeignKey(
        Ally,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("ally"),
    )
    process = models.ForeignKey(
        ObservanceProcess,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("observance process"),
    )
    team_members = models.ManyToManyField(
        TeamMember, blank=True, related_name="meetings", verbose_name=_("team members present")
    )
    other_attendees = models.TextField(
        _("other attendees"), blank=True, help_text=_("Names and positions, one per line.")
    )
    cpccs_companion = models.CharField(
        _("CPCCS companion"),
        max_length=200,
        blank=True,
        help_text=_("The CPCCS representative who accompanied the meeting, if any."),
    )
    purpose = models.TextField(_("purpose"))
    outcomes = models.TextField(_("outcomes"), blank=True)
    minutes = models.FileField(
        _("minutes"),
        upload_to=UploadTo("minutes"),
        blank=True,
        validators=[validate_document],
        help_text=UPLOAD_HELP,
    )

    history = HistoricalRecords(m2m_fields=[team_members])

    # What the minutes of the meeting record: kept by the secretaria, who may change these and
    # nothing else of a meeting (README, Roles), and its commitments (Commitment, edited on the
    # same form). The rest is what was logged when it happened.
    MINUTES_FIELDS = ["outcomes", "minutes"]

    class Meta:
        ordering = ["-held_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=False) | Q(ally__isnull=False),
                name="observance_meeting_has_counterpart",
                violation_error_message=_("A meeting needs an institution or an ally."),
            )
        ]
        indexes = [
            # The list's order, newest first with the key breaking ties (oppms.sorting), read as
            # a page of the index; and the meetings of a range of dates.
            models.Index(fields=["held_at", "id"], name="observance_meeting_held_at"),
            # A counterpart's meetings of a semester (the report's meetings per institution
            # or ally, whether an institution was met): read from the index, not the table.
            models.Index(fields=["institution", "held_at"], name="observance_meeting_inst_held"),
            models.Index(fields=["ally", "held_at"], name="observance_meeting_ally_held"),
            # The list sorted by these columns (oppms.sorting adds the key): a page of the
            # index, not a sort of every meeting.
            models.Index(fields=["modality", "id"], name="observance_meeting_modality"),
            models.Index(fields=["cpccs_companion", "id"], name="observance_meeting_cpccs"),
        ]

    def __str__(self):
        counterpart = self.institution or self.ally
        when = timezone.localtime(self.held_at).strftime("%d/%m/%Y")
        return f"{when} — {counterpart}"

    def get_absolute_url(self):
        return reverse("observance:meeting-detail", args=[self.pk])


class Holiday(GuardedModel):
    """A day off that Ecuador's national calendar does not know (a decree, a local holiday).

    In business-day mode LOTAIP deadlines skip these days as well as the national holidays.
    """

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"


# An open request's deadline; NULL once answered (PostgreSQL puts NULLs last going up).
OPEN_DUE_ON = Case(When(answered_on__isnull=True, then=F("due_on")))
ACTION_ORDER = (OPEN_DUE_ON.asc(nulls_last=True), F("sent_on").desc(), F("id").desc())


class InformationRequestQuerySet(GuardedQuerySet):
    def open(self):
        return self.filter(answered_on__isnull=True)

    def overdue(self, today=None):
        """Unanswered past their LOTAIP deadline: tacit denials."""
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def needing_action_first(self):
        """Overdue first (the oldest deadline first), then open by deadline, then answered,
        the most recent first: the order a coordinator works through them.

        Open requests by their deadline are the overdue ones first, since those are the ones
        whose deadline has passed; answered ones have no open deadline and come last. The
        order is the index ``observance_request_action``, so a page of the list reads its
        rows from the index instead of sorting every request.
        """
        return self.order_by(*ACTION_ORDER)

    def with_ladder_step(self):
        """Annotate each request with the highest step of the escalation ladder it took
        (``ladder_step``, None before the first), that step's outcome and due date."""
        rank = Case(
            *(When(kind=kind, then=Value(int(step))) for kind, step in RequestEvent.LADDER.items())
        )
        top = (
            RequestEvent.objects.filter(request=OuterRef("pk"), kind__in=RequestEvent.LADDER)
            .annotate(rank=rank)
            .order_by("-rank", "occurred_on", "pk")
        )
        return self.annotate(
            ladder_step=Subquery(top.values("rank")[:1]),
            ladder_outcome=Subquery(top.values("outcome")[:1]),
            ladder_due_on=Subquery(top.values("due_on")[:1]),
        )

    def due_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.open().filter(
            due_on__gte=today, due_on__lte=today + datetime.timedelta(days=days)
        )


class InformationRequest(GuardedModel):
    """A request for public information sent to an institution (step 4), on the LOTAIP clock."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        QUIPUX = "quipux", _("Quipux")
        PHYSICAL = "physical", _("Delivered in person")
        PORTAL = "portal", _("Transparency portal")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Awaiting answer")
        ANSWERED_FULLY = "answered_fully", _("Answered fully")
        ANSWERED_PARTLY = "answered_partly", _("Answered partly")
        REFUSED = "refused", _("Refused")

    process = models.ForeignKey(
        ObservanceProcess,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="information_requests",
        verbose_name=_("observance process"),
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="information_requests",
        verbose_name=_("institution"),
    )
    subject = models.CharField(_("subject"), max_length=255)
    areas = models.ManyToManyField(
        ResponsibilityArea,
        blank=True,
        related_name="information_requests",
        verbose_name=_("areas"),
        help_text=_("The institution's areas of responsibility the request is about."),
    )
    reference = models.CharField(
        _("oficio number"), max_length=100, blank=True, help_text=_("Reference of the letter sent.")
    )
    sent_on = models.DateField(_("sent on"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel, default=Channel.EMAIL)
    extension_notified_on = models.DateField(
        _("extension notified on"),
        null=True,
        blank=True,
        help_text=_("The date the institution notified it needs the 5-day extension."),
    )
    due_on = models.DateField(
        _("due on"), editable=False, help_text=_("Computed under LOTAIP from the date sent.")
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome, default=Outcome.PENDING
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    response_summary = models.TextField(_("response summary"), blank=True)
    request_file = models.FileField(
        _("request letter"),
        upload_to=UploadTo("requests"),
        blank=True,
        validators=[validate_document],
        help_text=UPLOAD_HELP,
    )
    response_file = models.FileField(
        _("response"),
        upload_to=UploadTo("responses"),
        blank=True,
        validators=[validate_document],
        help_text=UPLOAD_HELP,
    )

    objects = InformationRequestQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[areas])

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("sent_on")),
                name="observance_request_answered_after_sent",
                violation_error_message=_("An answer cannot be dated before its request."),
            ),
            models.CheckConstraint(
                condition=Q(extension_notified_on__isnull=True)
                | Q(extension_notified_on__gte=F("sent_on")),
                name="observance_request_extension_after_sent",
                violation_error_message=_("An extension cannot be notified before the request."),
            ),
            models.CheckConstraint(
                condition=Q(outcome="pending", answered_on__isnull=True)
                | (~Q(outcome="pending") & Q(answered_on__isnull=False)),
                name="observance_request_answer_has_date",
                violation_error_message=_("An answered request needs its answer date."),
            ),
        ]
        indexes = [
            models.Index(fields=["answered_on", "due_on"], name="observance_request_open_due"),
            # The dashboard's overdue and due-soon boxes: the open requests in due order, so
            # that their first rows are read from the index, however many there are.
            models.Index(
                fields=["due_on", "id"],
                condition=Q(answered_on__isnull=True),
                name="observance_request_open_by_due",
            ),
            models.Index(fields=["sent_on"], name="observance_request_sent_on"),
            # The list sorted by these columns (oppms.sorting adds the key).
            models.Index(fields=["subject", "id"], name="observance_request_subject"),
            models.Index(fields=["due_on", "id"], name="observance_request_due_on"),
            # The list's default order (needing_action_first). Going up puts NULLs last on
            # PostgreSQL, as the order asks; no NULLS LAST here, which SQLite's indexes lack.
            models.Index(
                OPEN_DUE_ON,
                F("sent_on").desc(),
                F("id").desc(),
                name="observance_request_action",
            ),
        ]

    def __str__(self):
        return self.subject

    def save(self, *args, **kwargs):
        # The due date is derived from this record's own dates; keeping it stored lets the
        # database find overdue requests, and keeping it here means no path can skip it.
        self.due_on = self.deadline().due_on
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("observance:request-detail", args=[self.pk])

    def deadline(self, extra_holidays=None):
        """The LOTAIP deadline; reads the holiday table unless ``extra_holidays`` is given."""
        if extra_holidays is None:
            extra_holidays = dict(Holiday.objects.values_list("date", "name"))
        return lotaip.deadline(
            self.sent_on,
            extended=self.extension_notified_on is not None,
            extra_holidays=extra_holidays,
        )

    def deadline_explanation(self):
        return self.deadline().explanation(self.sent_on)

    @property
    def is_overdue(self):
        return self.answered_on is None and self.due_on < timezone.localdate()

    @property
    def days_overdue(self):
        return (timezone.localdate() - self.due_on).days if self.is_overdue else 0

    @property
    def answered_late(self):
        return self.answered_on is not None and self.answered_on > self.due_on

    # Read from ``InformationRequestQuerySet.with_ladder_step``'s annotations.
    @property
    def ladder_step_label(self):
        step = getattr(self, "ladder_step", None)
        return Ladder(step).label if step else ""

    @property
    def ladder_outcome_label(self):
        outcome = getattr(self, "ladder_outcome", None)
        return EscalationOutcome(outcome).label if outcome else ""

    @property
    def ladder_overdue(self):
        due_on = getattr(self, "ladder_due_on", None)
        return (
            getattr(self, "ladder_outcome", None) == EscalationOutcome.PENDING
            and due_on is not None
            and due_on < timezone.localdate()
        )


class RequestEvent(GuardedModel):
    """A dated event in an information request's timeline."""

    class Kind(models.TextChoices):
        SENT = "sent", _("Sent")
        EXTENSION = "extension", _("Extension notified")
        ANSWERED_FULLY = "answered_fully", _("Answered fully")
        ANSWERED_PARTLY = "answered_partly", _("Answered partly")
        REFUSED = "refused", _("Refused")
        # The three steps of the escalation ladder (observance.escalation), in their order.
        CORRECTION_ASKED = "correction_asked", Ladder.INSISTENCE.label
        DEFENSORIA = "defensoria", Ladder.DEFENSORIA.label
        JUDICIAL = "judicial", Ladder.JUDICIAL.label

    Outcome = EscalationOutcome

    request = models.ForeignKey(
        InformationRequest,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("information request"),
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind)
    occurred_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # What a step of the escalation ladder adds to an event; empty for the other kinds.
    document = models.FileField(
        _("document"),
        upload_to=UploadTo("escalations"),
        blank=True,
        validators=[validate_document],
        help_text=format_lazy("{} {}", _("The letter, complaint or claim filed."), UPLOAD_HELP),
    )
    due_on = models.DateField(
        _("answer due on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when a ladder step is filed, from the days the observatory gives it."),
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=EscalationOutcome,
        blank=True,
        help_text=_("What came of a ladder step."),
    )
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)

    history = HistoricalRecords()

    LADDER = {
        Kind.CORRECTION_ASKED: Ladder.INSISTENCE,
        Kind.DEFENSORIA: Ladder.DEFENSORIA,
        Kind.JUDICIAL: Ladder.JUDICIAL,
    }
    KIND_OF_STEP = {step: kind for kind, step in LADDER.items()}

    class Meta:
        ordering = ["request", "occurred_on", "pk"]
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["correction_asked", "defensoria", "judicial"])
                & ~Q(outcome="")
                | ~Q(kind__in=["correction_asked", "defensoria", "judicial"])
                & Q(outcome="", outcome_on__isnull=True, due_on__isnull=True),
                name="observance_requestevent_outcome_only_on_ladder",
                violation_error_message=_("Only a step of the escalation ladder has an outcome."),
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["", "pending"], outcome_on__isnull=True)
                | (~Q(outcome__in=["", "pending"]) & Q(outcome_on__isnull=False)),
                name="observance_requestevent_outcome_has_date",
                violation_error_message=_("An outcome needs its date; awaiting an answer, none."),
            ),
            models.CheckConstraint(
                condition=Q(outcome_on__isnull=True) | Q(outcome_on__gte=F("occurred_on")),
                name="observance_requestevent_outcome_after_filing",
                violation_error_message=_("An outcome cannot be dated before its step."),
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "outcome", "due_on"], name="observance_event_ladder"),
            # The dashboard's steps awaiting an answer, the earliest due first: over the three
            # kinds at once, which the index above keeps apart. PostgreSQL's ascending indexes
            # put NULLs last, as the dashboard's order does.
            models.Index(
                fields=["due_on", "id"],
                condition=Q(
                    kind__in=["correction_asked", "defensoria", "judicial"], outcome="pending"
                ),
                name="observance_event_awaiting_due",
            ),
        ]

    def __str__(self):
        return f"{self.occurred_on:%d/%m/%Y} {self.get_kind_display()}"

    def clean(self):
        super().clean()
        self.fill_ladder_fields()

    def save(self, *args, **kwargs):
        self.fill_ladder_fields()
        super().save(*args, **kwargs)

    def fill_ladder_fields(self):
        """Whatever path writes an event (the pages, the admin), a ladder step awaits an answer
        until its outcome is recorded and is due after its term; other events have neither."""
        if self.is_ladder_step:
            self.outcome = self.outcome or EscalationOutcome.PENDING
            if self.due_on is None and self.pk is None and self.occurred_on is not None:
                self.due_on = escalation_due_on(self.step, self.occurred_on)
        else:
            self.outcome, self.outcome_on, self.due_on = "", None, None

    def get_absolute_url(self):
        return self.request.get_absolute_url()

    @property
    def is_ladder_step(self):
        return self.kind in self.LADDER

    @property
    def step(self):
        return self.LADDER.get(self.kind)

    @property
    def awaits_answer(self):
        return self.is_ladder_step and self.outcome == EscalationOutcome.PENDING

    @property
    def is_overdue(self):
        return self.awaits_answer and self.due_on is not None and self.due_on < timezone.localdate()


class EscalationTerm(GuardedModel):
    """How many days one step of the ladder gives for an answer, as the observatory sets them."""

    class Counting(models.TextChoices):
        CALENDAR = lotaip.CALENDAR, _("Calendar days")
        BUSINESS = lotaip.BUSINESS, _("Business days")

    step = models.PositiveSmallIntegerField(
        _("step"), choices=Ladder, unique=True, help_text=_("The step of the ladder.")
    )
    days = models.PositiveSmallIntegerField(
        _("days"),
        null=True,
        blank=True,
        help_text=_(
            "Days the step gives for an answer, counted from the day after it is filed. "
            "Empty: the step has no due date."
        ),
    )
    counting = models.CharField(
        _("counting"),
        max_length=20,
        choices=Counting,
        default=Counting.CALENDAR,
        help_text=_("Business days skip weekends, Ecuador's holidays and those added here."),
    )
    basis = models.TextField(
        _("basis"), blank=True, help_text=_("Where the number of days comes from.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["step"]
        verbose_name = _("escalation term")
        verbose_name_plural = _("escalation terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(step__gte=1, step__lte=3), name="observance_escalationterm_valid_step"
            ),
            models.CheckConstraint(
                condition=Q(days__isnull=True) | Q(days__gte=1, days__lte=366),
                name="observance_escalationterm_days_in_range",
                violation_error_message=_("A term is from 1 to 366 days, or empty."),
            ),
        ]

    def __str__(self):
        if self.days is None:
            return _("%(step)s: no due date") % {"step": self.get_step_display()}
        return _("%(step)s: %(days)d %(counting)s") % {
            "step": self.get_step_display(),
            "days": self.days,
            "counting": self.get_counting_display().lower(),
        }

    def get_absolute_url(self):
        return "{}?{}".format(
            reverse("observance:request-list"),
            urlencode({"ladder_step": self.step}),
        )

    def due_on(self, filed_on, extra_holidays=None):
        """The day an answer to a step filed on ``filed_on`` is due; None without a term."""
        if self.days is None:
            return None
        if extra_holidays is None and self.counting == lotaip.BUSINESS:
            extra_holidays = dict(Holiday.objects.values_list("date", "name"))
        due_on, _skipped = lotaip.count_days(
            filed_on, self.days, counting=self.counting, extra_holidays=extra_holidays
        )
        return due_on


def escalation_due_on(step, filed_on):
    """The due date of a step filed on ``filed_on`` under the terms table; None if no term."""
    term = EscalationTerm.objects.filter(step=step).first()
    term = term or EscalationTerm(step=step, **DEFAULT_TERMS[Ladder(step)])
    return term.due_on(filed_on)


class Evaluation(GuardedModel):
    """A technical evaluation of the information received (step 5)."""

    class Rating(models.TextChoices):
        SATISFACTORY = "satisfactory", _("Satisfactory")
        PARTIAL = "partial", _("Partially satisfactory")
        UNSATISFACTORY = "unsatisfactory", _("Unsatisfactory")
        NO_INFORMATION = "no_information", _("No information received")

    process = models.ForeignKey(
        ObservanceProcess,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("observance process"),
    )
    institutions = models.ManyToManyField(
        Institution, blank=True, related_name="evaluations", verbose_name=_("institutions")
    )
    information_requests = models.ManyToManyField(
        InformationRequest,
        blank=True,
        related_name="evaluations",
        verbose_name=_("information requests evaluated"),
    )
    title = models.CharField(_("title"), max_length=255)
    evaluated_on = models.DateField(_("evaluated on"))
    rating = models.CharField(_("rating"), max_length=20, choices=Rating)
    findings = models.TextField(_("findings"))
    allies_feedback = models.TextField(
        _("feedback from allies"), blank=True, help_text=_("What the strategic allies observed.")
    )
    document = models.FileField(
        _("document"),
        upload_to=UploadTo("evaluations"),
        blank=True,
        validators=[validate_document],
        help_text=UPLOAD_HELP,
    )

    history = HistoricalRecords(m2m_fields=[institutions, information_requests])

    class Meta:
        ordering = ["-evaluated_on", "title"]
        verbose_name = _("technical evaluation")
        verbose_name_plural = _("technical evaluations")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("observance:evaluation-detail", args=[self.pk])


class Publication(GuardedModel):
    """A publication or socialisation event of an evaluation's results (step 6)."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        ARTICLE = "article", _("Article")
        PRESS_RELEASE = "press_release", _("Press release")
        SOCIALISATION = "socialisation", _("Socialisation event")
        OTHER = "other", _("Other")

    process = models.ForeignKey(
        ObservanceProcess,
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name=_("observance process"),
    )
    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publications",
        verbose_name=_("evaluation"),
    )
    institutions = models.ManyToManyField(
        Institution, blank=True, related_name="publications", verbose_name=_("institutions")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=255)
    published_on = models.DateField(_("date"))
    url = models.URLField(_("link"), blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    attendees = models.PositiveIntegerField(
        _("attendees"), null=True, blank=True, help_text=_("For socialisation events.")
    )
    summary = models.TextField(_("summary"), blank=True)
    document = models.FileField(
        _("document"),
        upload_to=UploadTo("publications"),
        blank=True,
        validators=[validate_document],
        help_text=_(
            "The published text or the event's material; anyone may download it once the "
            "publication is public."
        ),
    )
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown on the observatory's public page.")
    )

    history = HistoricalRecords(m2m_fields=[institutions])

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("observance:publication-detail", args=[self.pk])


def recommendation_overdue(today):
    """Past its expected date and not complied: the one rule of an overdue recommendation."""
    return Q(due_on__lt=today) & ~Q(compliance=Recommendation.Compliance.COMPLIED)


class RecommendationQuerySet(GuardedQuerySet):
    def overdue(self, today=None):
        """Past their expected date (``due_on``) without compliance (not complied)."""
        return self.filter(recommendation_overdue(today or timezone.localdate()))

    def marking_overdue(self, today=None):
        """Each recommendation with ``is_overdue``, by the same rule as ``overdue()``."""
        condition = recommendation_overdue(today or timezone.localdate())
        return self.annotate(
            is_overdue=Case(When(condition, then=Value(True)), default=Value(False))
        )

    def with_compliance_on(self, day):
        """Each recommendation with ``compliance_then``: the level of its latest follow-up
        dated on or before ``day`` (latest date, then latest recorded), *pending* without one.

        A follow-up is a dated record: it counts by its date, even when recorded later.
        """
        latest = (
            FollowUp.objects.filter(recommendation=OuterRef("pk"), checked_on__lte=day)
            .order_by("-checked_on", "-pk")
            .values("compliance")[:1]
        )
        return self.annotate(
            compliance_then=Coalesce(
                Subquery(latest),
                Value(Recommendation.Compliance.PENDING),
                output_field=models.CharField(),
            )
        )


class Recommendation(GuardedModel):
    """A solution, correction or observation put to an institution (step 7).

    Its compliance is never typed: it is the level its latest follow-up records (latest
    ``checked_on``, then the latest recorded), *pending* while it has none. The column is kept
    so lists, the portal and the reminders can filter on it; ``save()`` derives it, and
    ``observance.services.recommendations_follow_compliance`` keeps it in step whenever a
    follow-up is recorded, edited or deleted (``observance.signals``).
    """

    class Compliance(models.TextChoices):
        PENDING = "pending", _("Pending")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLIED = "complied", _("Complied")
        PARTLY_COMPLIED = "partly_complied", _("Partly complied")
        NOT_COMPLIED = "not_complied", _("Not complied")

    process = models.ForeignKey(
        ObservanceProcess,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("observance process"),
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("institution"),
    )
    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("evaluation"),
    )
    text = models.TextField(_("recommendation"))
    proposed_on = models.DateField(_("proposed on"))
    due_on = models.DateField(_("expected by"), null=True, blank=True)
    compliance = models.CharField(
        _("compliance"),
        max_length=20,
        choices=Compliance,
        default=Compliance.PENDING,
        editable=False,
        help_text=_("The level recorded by the latest follow-up; pending without one."),
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Counted in the state of recommendations on the observatory's public page."),
    )

    objects = RecommendationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_on", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=F("proposed_on")),
                name="observance_recommendation_due_after_proposed",
                violation_error_message=_("The expected date cannot precede the proposal."),
            )
        ]

    def __str__(self):
        return self.text[:80]

    def save(self, *args, **kwargs):
        # Derived here, as a request's due date is, so that no path saves a typed value.
        self.compliance = self.latest_compliance()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("observance:recommendation-detail", args=[self.pk])

    def latest_compliance(self):
        """The level of the latest follow-up (latest date, then latest recorded), or pending."""
        if self._state.adding or self.pk is None:
            return self.Compliance.PENDING
        latest = (
            FollowUp.objects.filter(recommendation=self)
            .order_by("-checked_on", "-pk")
            .values_list("compliance", flat=True)
            .first()
        )
        return latest or self.Compliance.PENDING


class FollowUpQuerySet(GuardedQuerySet):
    """Follow-ups; a bulk change brings their recommendations' compliance in line too."""

    def update(self, **values):
        with transaction.atomic(using=self.db):
            # Taken before the update: the filter may be on a value the update changes.
            recommendation_ids = set(self.values_list("recommendation_id", flat=True))
            updated = super().update(**values)
            _follow(recommendation_ids | _recommendation_ids(values))
        return updated

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            _follow({follow_up.recommendation_id for follow_up in created})
        return created


def _recommendation_ids(values):
    value = values.get("recommendation", values.get("recommendation_id"))
    return {getattr(value, "pk", value)} if value is not None else set()


def _follow(recommendation_ids):
    from .services import recommendations_follow_compliance

    recommendations_follow_compliance(recommendation_ids=recommendation_ids)


class FollowUp(GuardedModel):
    """A dated check on how an institution is acting on a recommendation, with its evidence.

    Its recommendation's compliance is the level of the latest one; saving or deleting a
    follow-up, by any path, brings it in line in the same transaction (``observance.signals``).
    """

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("recommendation"),
    )
    checked_on = models.DateField(
        _("date"),
        help_text=_(
            "When the institution's action was checked: not before the proposal, not after today."
        ),
    )
    compliance = models.CharField(
        _("compliance"),
        max_length=20,
        choices=Recommendation.Compliance,
        help_text=_("The level of compliance this check found."),
    )
    notes = models.TextField(_("notes"), blank=True)
    evidence = models.FileField(
        _("evidence"),
        upload_to=UploadTo("follow_ups"),
        blank=True,
        validators=[validate_document],
        help_text=_(
            "A letter, report or photograph that shows it: PDF, DOC, DOCX, ODT, JPG or PNG, "
            "20 MB at most."
        ),
    )

    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation", "checked_on", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [
            # A recommendation's latest follow-up (by a day): its compliance, then or now.
            models.Index(
                fields=["recommendation", "-checked_on", "-id"], name="observance_followup_latest"
            )
        ]

    def __str__(self):
        return f"{self.checked_on:%d/%m/%Y} {self.get_compliance_display()}"

    def save(self, *args, **kwargs):
        # The recommendation's compliance follows in the same transaction (post_save).
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
        self._loaded_recommendation_id = self.recommendation_id

    def delete(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")):
            return super().delete(*args, **kwargs)

    def get_absolute_url(self):
        return self.recommendation.get_absolute_url()

    @classmethod
    def from_db(cls, db, field_names, values):
        follow_up = super().from_db(db, field_names, values)
        # Moving a follow-up to another recommendation changes the compliance of both.
        follow_up._loaded_recommendation_id = follow_up.__dict__.get("recommendation_id")
        return follow_up

    def clean(self):
        super().clean()
        if self.checked_on is None:
            return
        try:
            # The recommendation may be one the admin is adding along with its follow-ups.
            proposed_on = self.recommendation.proposed_on
        except Recommendation.DoesNotExist:
            proposed_on = None
        if proposed_on is not None and self.checked_on < proposed_on:
            raise ValidationError(
                {"checked_on": ValidationError(FOLLOW_UP_BEFORE_PROPOSAL, code="before_proposed")}
            )
        # A date after today is refused by the plausible-dates rule (observance.dates).

    def viewable_by(self, user):
        """Its evidence goes to whoever may view its recommendation."""
        return user.has_perm("observance.view_recommendation")


class CommitmentQuerySet(GuardedQuerySet):
    def open(self):
        return self.filter(status=Commitment.Status.PENDING)

    def overdue(self, today=None):
        """Pending and past their due date: what the dashboard and the digest chase."""
        today = today or timezone.localdate()
        return self.open().filter(due_on__lt=today)

    def due_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.open().filter(
            due_on__gte=today, due_on__lte=today + datetime.timedelta(days=days)
        )

    def closed_by(self, day):
        """Closed (done or cancelled) on or before ``day``, by their closing date."""
        return self.filter(closed_on__lte=day)

    def open_on(self, day):
        """Not closed by the end of ``day``: pending then, whatever happened after."""
        return self.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))

    def overdue_on(self, day):
        return self.open_on(day).filter(due_on__lt=day)


class Commitment(GuardedModel):
    """Something agreed at a meeting: what, who does it, by when, and how it was closed."""

    class Who(models.TextChoices):
        COUNTERPART = "counterpart", _("The counterpart (institution or ally)")
        OBSERVATORY = "observatory", _("The observatory")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("commitment", "Pending")
        DONE = "done", pgettext_lazy("commitment", "Done")
        CANCELLED = "cancelled", pgettext_lazy("commitment", "Cancelled")

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("meeting"),
    )
    text = models.TextField(_("commitment"), help_text=_("What was agreed."))
    who = models.CharField(
        _("who"),
        max_length=20,
        choices=Who,
        default=Who.COUNTERPART,
        help_text=_(
            "Who must carry it out: the meeting's institution or ally, or the observatory."
        ),
    )
    due_on = models.DateField(
        _("due on"), null=True, blank=True, help_text=_("Leave empty if no date was agreed.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    closed_on = models.DateField(
        _("closed on"), null=True, blank=True, help_text=_("When it was done or cancelled.")
    )
    closing_note = models.TextField(
        _("closing note"), blank=True, help_text=_("How it was done, or why it was cancelled.")
    )

    objects = CommitmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", closed_on__isnull=True, closing_note="")
                | (~Q(status="pending") & Q(closed_on__isnull=False) & ~Q(closing_note="")),
                name="observance_commitment_closed_has_date_and_note",
                violation_error_message=_(
                    "A done or cancelled commitment needs its closing date and note; a pending "
                    "one has neither."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="observance_commitment_open_due"),
        ]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        # By the meeting's id: listing commitments never loads their meetings for the link.
        meeting_url = reverse("observance:meeting-detail", args=[self.meeting_id])
        return f"{meeting_url}#commitment-{self.pk}"

    @property
    def counterpart(self):
        return self.meeting.institution or self.meeting.ally

    def responsible(self):
        """Who carries it out, by name: the meeting's counterpart, or the observatory."""
        if self.who == self.Who.OBSERVATORY:
            return _("The observatory")
        return self.counterpart

    @property
    def is_overdue(self):
        return (
            self.status == self.Status.PENDING
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


FOLLOW_UP_BEFORE_PROPOSAL = _("A follow-up cannot be dated before the recommendation was proposed.")
