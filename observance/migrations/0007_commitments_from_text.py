import re

from django.db import migrations
from django.utils import timezone

# A bullet or a number that opens a line of a list: "- ", "* ", "• ", "1. ", "2) ", "a) ".
BULLET = re.compile(r"^\s*(?:[-*•·–—]+|\(?\d{1,3}[.)]|\(?[a-zA-Z][)])\s*")


def items_of(text):
    """The commitments a free text lists: one per non-empty line, bullets and numbers removed."""
    items = []
    for line in text.splitlines():
        item = BULLET.sub("", line).strip()
        if item:
            items.append(item)
    return items


def text_to_items(apps, schema_editor):
    """Each line of a meeting's commitments text becomes a pending commitment of its
    counterpart, with no due date: whoever keeps the minutes then dates and assigns them."""
    Meeting = apps.get_model("observance", "Meeting")
    Commitment = apps.get_model("observance", "Commitment")
    HistoricalCommitment = apps.get_model("observance", "HistoricalCommitment")
    now = timezone.now()
    for meeting in Meeting.objects.exclude(commitments="").order_by("pk").iterator():
        for text in items_of(meeting.commitments):
            commitment = Commitment.objects.create(meeting_id=meeting.pk, text=text)
            HistoricalCommitment.objects.create(
                id=commitment.pk,
                meeting_id=meeting.pk,
                text=text,
                who=commitment.who,
                status=commitment.status,
                closing_note="",
                history_date=now,
                history_type="+",
                history_change_reason="From the meeting's commitments text",
            )


def sync_roles(apps, schema_editor):
    from oppms.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    """Free-text commitments become items; the roles get the commitments' permissions."""

    dependencies = [
        ("observance", "0006_commitments"),
        ("oppms", "0007_administration_sees_reminders"),
    ]

    operations = [
        migrations.RunPython(text_to_items, migrations.RunPython.noop),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
