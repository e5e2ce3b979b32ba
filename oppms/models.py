from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
