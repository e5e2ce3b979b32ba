from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from oppms.models import GuardedModel
from oppms.uploads import UploadTo

from .periods import FIRST_YEAR, LAST_YEAR, Period

NARRATIVE_FIELDS = ["linkage_analysis", "conclusions", "next_semester_plans"]


class SemiannualReport(GuardedModel):
    """The semiannual management report of one semester.

    Everything but the narrative is built from the records. Once final, the PDF is stored with
    its SHA-256 and the figures it shows, and nothing about the report changes any more.
    """

    class Half(models.IntegerChoices):
        FIRST = 1, _("First semester (January–June)")
        SECOND = 2, _("Second semester (July–December)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    half = models.PositiveSmallIntegerField(_("semester"), choices=Half)
    linkage_analysis = models.TextField(
        _("analysis of the linkage process"),
        blank=True,
        help_text=_("What the meetings with institutions achieved and what they showed."),
    )
    conclusions = models.TextField(_("conclusions"), blank=True)
    next_semester_plans = models.TextField(
        _("plans for the next semester"),
        blank=True,
        help_text=_("What the observatory sets out to do in the next semester."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, editable=False
    )
    finalized_at = models.DateTimeField(_("finalized at"), null=True, blank=True, editable=False)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("finalized by"),
    )
    pdf = models.FileField(
        _("PDF"),
        upload_to=UploadTo("reports"),
        blank=True,
        editable=False,
        help_text=_("The finalized report, exactly as it was issued."),
    )
    sha256 = models.CharField(
        _("SHA-256"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Fingerprint of the finalized PDF: any change to the file changes it."),
    )
    figures = models.JSONField(
        _("figures"),
        default=dict,
        blank=True,
        editable=False,
        encoder=DjangoJSONEncoder,
        help_text=_("The figures the finalized PDF shows, as they were built from the records."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-half"]
        verbose_name = _("semiannual report")
        verbose_name_plural = _("semiannual reports")
        permissions = [("finalize_semiannualreport", _("Can finalize a semiannual report"))]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "half"], name="reports_semiannualreport_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(half__in=[1, 2]), name="reports_semiannualreport_valid_half"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(status="final") & Q(finalized_at__isnull=False) & ~Q(sha256="") & ~Q(pdf="")),
                name="reports_semiannualreport_final_is_complete",
                violation_error_message=_("A final report needs its PDF, fingerprint and date."),
            ),
        ]

    def __str__(self):
        return _("Semiannual report %(period)s") % {"period": self.period.label}

    def get_absolute_url(self):
        return reverse("reports:report-detail", args=[self.year, self.half])

    @property
    def period(self):
        return Period(self.year, self.half)

    @property
    def is_final(self):
        return self.status == self.Status.FINAL

    def viewable_by(self, user):
        """Beyond the view permission: a draft is only for those who may work on drafts.

        oppms.record_access asks this for the report's page, its PDF and its history alike.
        """
        return self.is_final or user.has_perm("reports.change_semiannualreport")

    def stored_is_final(self):
        """Whether the row as saved is final: what decides, whatever this instance holds."""
        if self.pk is None:
            return False
        return type(self).objects.filter(pk=self.pk, status=self.Status.FINAL).exists()

    def clean(self):
        super().clean()
        if self.stored_is_final():
            raise ValidationError(
                _("This report is final: it can no longer be changed."), code="final"
            )


class CountedRecord(GuardedModel):
    """One record a finalized report counted, and one reason it counted it.

    Written once, when the report is finalized, from the rules of ``reports.counted``: a record
    counted for several reasons (a meeting held in the semester, with an institution) has a row
    for each. From then on the record can be edited but not deleted, and each of its rows keeps
    the field that made it count (the meeting's date within the semester, its institution set).
    """

    report = models.ForeignKey(
        SemiannualReport,
        on_delete=models.PROTECT,
        related_name="counted_records",
        verbose_name=_("report"),
    )
    model = models.CharField(_("kind of record"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("record number"))
    basis = models.CharField(_("counted as"), max_length=40)

    class Meta:
        ordering = ["report", "model", "object_id", "basis"]
        verbose_name = _("record counted by a report")
        verbose_name_plural = _("records counted by reports")
        # Written by finalizing and never edited: no role gets to add, change or delete them.
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["report", "model", "object_id", "basis"],
                name="reports_countedrecord_once_per_basis",
            )
        ]
        indexes = [
            models.Index(fields=["model", "object_id"], name="reports_counted_record"),
        ]

    def __str__(self):
        return f"{self.report}: {self.model} {self.object_id} ({self.basis})"
