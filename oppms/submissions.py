"""A form posted twice creates one record.

Each create form carries a one-time token (``submission_token``), made when the empty form is
shown and kept while the form comes back with errors. The first valid post of a token records,
in ``FormSubmission``, the address of the record it created; a later post of the same token by
the same user creates nothing and is sent there. Tokens are per user: another user's token
names no record of theirs. A post without a token (a script, a form cached from before) is
saved as it always was.
"""

import datetime
import uuid

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FormSubmission

TOKEN_FIELD = "submission_token"
# A form resent after a lost answer comes back within minutes; a week covers a form left open
# over a weekend, and keeps the table small.
KEPT_FOR = datetime.timedelta(days=7)


def posted_submission_token(request):
    """The token of the posted form, or None when there is none or it is not a UUID."""
    try:
        return uuid.UUID(request.POST.get(TOKEN_FIELD, ""))
    except ValueError:
        return None


def submission_token(request):
    """The token a create form shows: the posted one when it comes back, a new one otherwise."""
    token = posted_submission_token(request) if request.method == "POST" else None
    return str(token or uuid.uuid4())


def submit_once(request, save):
    """Run ``save`` once per token of the posted form; a repeat goes to what the first made.

    ``save()`` returns ``(response, url)``, where ``url`` is the address of the record it
    created, or None when nothing was saved (the form had errors): the user may then correct
    the form and post the same token again.
    """
    token = posted_submission_token(request)
    if token is None or not request.user.is_authenticated:
        return save()[0]
    earlier = _saved_url(request.user, token)
    if earlier is not None:
        return _already_saved(request, earlier)
    with transaction.atomic():
        try:
            # The token is claimed before the record is saved: a second post of the same form
            # at the same moment waits here until the first commits, and then finds its record.
            with transaction.atomic():
                claim = FormSubmission.objects.create(user=request.user, token=token)
        except IntegrityError:
            earlier = _saved_url(request.user, token)
            if earlier is None:
                raise
            return _already_saved(request, earlier)
        response, url = save()
        if url is None:
            claim.delete()
        else:
            claim.url = url
            claim.save(update_fields=["url"])
            FormSubmission.objects.filter(submitted_at__lt=timezone.now() - KEPT_FOR).delete()
    return response


def _saved_url(user, token):
    # A row is committed with its address, in the transaction that saved the record.
    return (
        FormSubmission.objects.filter(user=user, token=token).values_list("url", flat=True).first()
    )


def _already_saved(request, url):
    messages.info(request, _("This form had already been saved: here is the record it created."))
    return redirect(url)
