"""Keep open requests' LOTAIP due dates true to the holiday table.

A signal rather than a service call because holidays change through the admin, spreadsheet
imports and history reverts alike, and every path must move the due dates.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Holiday


@receiver(post_save, sender=Holiday, dispatch_uid="holiday_saved")
@receiver(post_delete, sender=Holiday, dispatch_uid="holiday_deleted")
def holiday_changed(sender, **kwargs):
    from .services import information_requests_recompute_due_dates

    information_requests_recompute_due_dates()
