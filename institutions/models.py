from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from oppms.geography import PROVINCE_HELP, Province
from oppms.models import GuardedModel


class Institution(GuardedModel):
    """A government body mapped as responsible for an observed policy (step 1 of the cycle)."""

    class Branch(models.TextChoices):
        EXECUTIVE = "executive", _("Executive")
        LEGISLATIVE = "legislative", _("Legislative")
        JUDICIAL = "judicial", _("Judicial")
        ELECTORAL = "electoral", _("Electoral")
        TRANSPARENCY = "transparency", _("Transparency and social control")
        AUTONOMOUS = "autonomous", _("Autonomous decentralised government")

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        CANTONAL = "cantonal", _("Cantonal")
        PARISH = "parish", _("Parish")

    class Role(models.TextChoices):
        POLICY_MAKER = "policy_maker", _("Public policy maker")
        EXECUTOR = "executor", _("Executing body")

    name = models.CharField(_("name"), max_length=255, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    branch = models.CharField(
        _("branch"),
        max_length=20,
        choices=Branch,
        default=Branch.EXECUTIVE,
        help_text=_("Function of the State the institution belongs to."),
    )
    level = models.CharField(
        _("level of government"), max_length=20, choices=Level, default=Level.NATIONAL
    )
    role = models.CharField(
        _("role for the observed policies"),
        max_length=20,
        choices=Role,
        default=Role.EXECUTOR,
        help_text=_("Whether it makes the policy (e.g. the National Assembly) or carries it out."),
    )
    sector = models.CharField(
        _("sector"), max_length=120, blank=True, help_text=_("E.g. health, labour, education.")
    )
    province = models.CharField(
        _("province"), max_length=30, choices=Province, blank=True, help_text=PROVINCE_HELP
    )
    website = models.URLField(_("website"), blank=True)
    mapped_on = models.DateField(
        _("mapped on"), help_text=_("Date it was added to the observatory's mapping.")
    )
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive institutions are kept for history.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("institutions:institution-detail", args=[self.pk])


class Contact(GuardedModel):
    """A person the observatory deals with inside an institution."""

    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("institution"),
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["institution__name", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return f"{self.name} — {self.institution.acronym or self.institution.name}"

    def get_absolute_url(self):
        return self.institution.get_absolute_url()


class ResponsibilityArea(GuardedModel):
    """An area or theme an institution answers for under the observed policy (step 3)."""

    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="areas",
        verbose_name=_("institution"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["institution__name", "name"]
        verbose_name = _("area of responsibility")
        verbose_name_plural = _("areas of responsibility")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name"], name="institutions_area_unique_name"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.institution.get_absolute_url()
