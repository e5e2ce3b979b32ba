"""What every model of OPPMS has in common: changes that guards may refuse (oppms.protection).

Every model of institutions, allies, observance and reports derives from ``GuardedModel``:

- its validation (``full_clean``, which model forms, the admin and spreadsheet imports run) asks
  the registered change guards, so a refused value gets its reason next to its field;
- its default manager's ``update()`` asks them too. Django sends no signal for a queryset
  update, so this is the only place that sees one; ``bulk_update`` goes through it as well.

The class adds no field and no table: migrations do not see it.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .protection import change_refusals, update_checks


class GuardedQuerySet(models.QuerySet):
    def update(self, **values):
        checks = update_checks(self, values)
        if not checks:
            return super().update(**values)
        # The checks read the updated rows; a refusal rolls the update back.
        with transaction.atomic(using=self.db):
            updated = super().update(**values)
            for check in checks:
                check()
        return updated


class GuardedManager(models.Manager.from_queryset(GuardedQuerySet)):
    pass


class GuardedModel(models.Model):
    objects = GuardedManager()

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        errors = {}
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # A field left out of validation (not on the form, or already wrong) is skipped, as
        # Django's own constraints skip it; the pre_save guard still sees it on save.
        for field, reasons in change_refusals(self).items():
            if exclude and field in exclude:
                continue
            errors.setdefault(field, []).extend(reasons)
        if errors:
            raise ValidationError(errors)


class FormSubmission(models.Model):
    """A create form that was saved: the form's one-time token and the record it made.

    Every create form carries a token made when the empty form was shown. When the answer to
    a save is lost and the user sends the same form again, its token is found here and the user
    is taken to the record already made instead of getting a duplicate. Kept in the database,
    not the session, so that it holds across application workers and for two posts at once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    token = models.UUIDField(_("token"))
    url = models.CharField(_("address of the record"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "token"], name="oppms_formsubmission_once_per_user_and_token"
            )
        ]

    def __str__(self):
        return f"{self.token} → {self.url}"


def new_calendar_secret():
    return secrets.token_urlsafe(32)


class ReminderPreferences(models.Model):
    """What one user wants from the reminders (the morning digest, the calendar feed) and the
    language of their pages: the settings of their page *Mi cuenta*.

    A user with no row gets the defaults (digest on, 7 days ahead, Spanish); the row is made the
    first time they save their page or switch language. The feed's secret is the only key to
    their calendar: renewing it makes the old address answer 404.
    """

    DEFAULT_DAYS_AHEAD = 7
    MAX_DAYS_AHEAD = 60

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_preferences",
        verbose_name=_("user"),
    )
    digest_enabled = models.BooleanField(
        _("send me the daily digest by e-mail"),
        default=True,
        help_text=_("One message each morning, only on days with something to tell."),
    )
    days_ahead = models.PositiveSmallIntegerField(
        _("days ahead"),
        default=DEFAULT_DAYS_AHEAD,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DAYS_AHEAD)],
        help_text=_("The digest lists what falls due within this many days."),
    )
    calendar_secret = models.CharField(
        _("calendar secret"), max_length=64, unique=True, default=new_calendar_secret
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Chosen with the switch at the foot of every page; empty means Spanish."),
    )

    history = HistoricalRecords(excluded_fields=["calendar_secret"])

    class Meta:
        verbose_name = _("reminder preferences")
        verbose_name_plural = _("reminder preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(days_ahead__gte=1, days_ahead__lte=60),
                name="oppms_reminderpreferences_days_ahead_in_range",
            )
        ]

    def __str__(self):
        return str(self.user)

    @classmethod
    def of(cls, user):
        preferences, _created = cls.objects.get_or_create(user=user)
        return preferences

    def renew_calendar_secret(self):
        self.calendar_secret = new_calendar_secret()
        self.save(update_fields=["calendar_secret"])


class DigestSent(models.Model):
    """One digest e-mailed to one user for one day: what makes send_reminders idempotent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digests_sent",
        verbose_name=_("user"),
    )
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    item_count = models.PositiveIntegerField(_("items"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-day", "user"]
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="oppms_digestsent_once_a_day")
        ]

    def __str__(self):
        return f"{self.user} {self.day:%d/%m/%Y}"
