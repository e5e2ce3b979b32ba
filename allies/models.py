from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from oppms.geography import PROVINCE_HELP, Province
from oppms.models import GuardedModel
from oppms.uploads import UploadTo, validate_document


class Ally(GuardedModel):
    """A strategic ally of the observatory: academia, NGOs, international bodies, and others."""

    class Kind(models.TextChoices):
        ACADEMIA = "academia", _("Academia")
        NATIONAL_NGO = "national_ngo", _("National NGO")
        INTERNATIONAL = "international", _("International organisation")
        COLLECTIVE = "collective", _("Collective or association")
        PRIVATE = "private", _("Private company")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    province = models.CharField(
        _("province"), max_length=30, choices=Province, blank=True, help_text=PROVINCE_HELP
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    border_region = models.BooleanField(
        _("in a border region"),
        default=False,
        help_text=_("Based in a province on the border with Colombia or Peru."),
    )
    allied_on = models.DateField(
        _("allied since"),
        null=True,
        blank=True,
        help_text=_(
            "The semiannual report counts the ally from this day. Left empty, it counts from "
            "when the ally was recorded or first met or signed an agreement."
        ),
    )
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("ally")
        verbose_name_plural = _("allies")

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("allies:ally-detail", args=[self.pk])


class Agreement(GuardedModel):
    """A cooperation agreement (convenio) signed or being negotiated with an ally."""

    class Status(models.TextChoices):
        NEGOTIATION = "negotiation", _("In negotiation")
        SIGNED = "signed", _("Signed")
        IN_EXECUTION = "in_execution", _("In execution")
        CONCLUDED = "concluded", _("Concluded")
        CANCELLED = "cancelled", _("Cancelled")

    ally = models.ForeignKey(
        Ally, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("ally")
    )
    title = models.CharField(_("title"), max_length=255)
    areas = models.TextField(
        _("areas of collaboration"), blank=True, help_text=_("What the parties will work on.")
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.NEGOTIATION
    )
    document = models.FileField(
        _("signed document"),
        upload_to=UploadTo("agreements"),
        blank=True,
        validators=[validate_document],
        help_text=_("PDF, DOC, DOCX, ODT, JPG or PNG, 20 MB at most."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on", "title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(ends_on__gte=F("signed_on")),
                name="allies_agreement_ends_after_signed",
                violation_error_message=_("An agreement cannot end before it is signed."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["negotiation", "cancelled"]) | Q(signed_on__isnull=False),
                name="allies_agreement_signed_has_date",
                violation_error_message=_("A signed agreement needs its signing date."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("allies:agreement-detail", args=[self.pk])


class AgendaItem(GuardedModel):
    """An activity of the work agenda agreed under an agreement."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="agenda_items",
        verbose_name=_("agreement"),
    )
    activity = models.CharField(_("activity"), max_length=255)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "due_on", "activity"]
        verbose_name = _("work-agenda item")
        verbose_name_plural = _("work-agenda items")

    def __str__(self):
        return self.activity

    def get_absolute_url(self):
        return self.agreement.get_absolute_url()
