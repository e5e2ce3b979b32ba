"""Keep what is derived from other rows true to them, whatever path changed those rows.

Open requests' LOTAIP due dates follow the holiday table; a recommendation's compliance follows
its latest follow-up. Signals rather than service calls because holidays and follow-ups change
through the pages, the admin (its inlines and bulk deletes), imports and history reverts alike,
and every path must bring the derived values along. (Bulk updates and ``bulk_create`` of
follow-ups send no signal: ``FollowUpQuerySet`` does the same for them.)
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import FollowUp, Holiday, Recommendation


@receiver(post_save, sender=Holiday, dispatch_uid="holiday_saved")
@receiver(post_delete, sender=Holiday, dispatch_uid="holiday_deleted")
def holiday_changed(sender, **kwargs):
    from .services import information_requests_recompute_due_dates

    information_requests_recompute_due_dates()


@receiver(post_save, sender=FollowUp, dispatch_uid="follow_up_saved")
def follow_up_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loading a fixture or a backup: the recommendations come with their values
        return
    from .services import recommendations_follow_compliance

    moved_from = getattr(instance, "_loaded_recommendation_id", None)
    recommendations_follow_compliance(recommendation_ids={instance.recommendation_id, moved_from})


@receiver(post_delete, sender=FollowUp, dispatch_uid="follow_up_deleted")
def follow_up_deleted(sender, instance, origin=None, **kwargs):
    # Deleted along with its recommendation: nothing is left to bring in line.
    if isinstance(origin, Recommendation) or getattr(origin, "model", None) is Recommendation:
        return
    from .services import recommendations_follow_compliance

    recommendations_follow_compliance(recommendation_ids={instance.recommendation_id})
