"""The four roles of the observatory's staff, as groups with model permissions.

README.md has the same table in words; ``sync_roles`` is called by data migrations, so a new
model's permissions reach the groups by adding a migration that calls it again.
"""

from django.utils.translation import gettext_lazy as _

COORDINACION = "Coordinación"
SECRETARIA = "Secretaría"
ADMINISTRACION = "Administración"
CONSULTA = "Consulta"

OUR_APPS = ["institutions", "allies", "observance", "reports"]

# Models whose records the coordinators keep day to day.
COORDINATION_MODELS = {
    "institutions": ["institution", "contact", "responsibilityarea"],
    "allies": ["ally", "agreement", "agendaitem"],
    "observance": [
        "publicpolicy",
        "observanceprocess",
        "processstep",
        "meeting",
        "commitment",
        "informationrequest",
        "requestevent",
        "evaluation",
        "publication",
        "recommendation",
        "followup",
    ],
}

ROLE_DESCRIPTIONS = {
    COORDINACION: _("Logs meetings and keeps institutions, allies, requests and processes."),
    SECRETARIA: _("Keeps minutes, the observatory's profile and team, and the reports."),
    ADMINISTRACION: _("Cleans data in the admin: imports, merges, reverts; manages users."),
    CONSULTA: _("Reads records and downloads finalized reports; changes nothing."),
}


def role_permissions(all_permissions):
    """Map each role to the (app_label, codename) pairs it holds.

    ``all_permissions`` is every (app_label, codename) pair that exists.
    """
    ours = {(app, code) for app, code in all_permissions if app in OUR_APPS}
    view = {(app, code) for app, code in ours if code.startswith("view_")}

    coordination = set(view)
    for app, models in COORDINATION_MODELS.items():
        for model in models:
            for action in ("add", "change", "delete"):
                coordination.add((app, f"{action}_{model}"))

    secretaria = set(view)
    for model in ("observatoryprofile", "teammember"):
        for action in ("add", "change", "delete"):
            secretaria.add(("observance", f"{action}_{model}"))
    # The secretaria keeps the minutes of the meetings coordinators log: she may change a
    # meeting but not log one, and whoever is in that position edits only what the minutes
    # record (observance.views.meetings.keeps_only_minutes).
    secretaria.add(("observance", "change_meeting"))
    # A meeting's commitments are part of its minutes: she adds, closes and removes them.
    for action in ("add", "change", "delete"):
        secretaria.add(("observance", f"{action}_commitment"))
    secretaria |= {(app, code) for app, code in ours if app == "reports"}

    administration = set(ours)
    administration |= {
        (app, code) for app, code in all_permissions if app == "auth" and "permission" not in code
    }
    # Failed logins and lockouts (django-axes): seen and lifted in the admin, never made there.
    administration |= {
        (app, code)
        for app, code in all_permissions
        if app == "axes" and code.startswith(("view_", "delete_"))
    }
    # Reminders (oppms.reminders): each user sets their own on their page; the administrator sees
    # which digests went out and may turn one off for a user, never sees a calendar secret.
    administration |= {
        ("oppms", "view_reminderpreferences"),
        ("oppms", "change_reminderpreferences"),
        ("oppms", "view_digestsent"),
    } & all_permissions  # not there yet when the earlier migrations sync the roles

    return {
        COORDINACION: coordination & all_permissions,
        SECRETARIA: secretaria & all_permissions,
        ADMINISTRACION: administration,
        CONSULTA: view,
    }


def sync_roles(apps):
    """Create the four groups and give each exactly its permissions."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; the groups need them now.
    # create_permissions skips apps without a models module, which is how migrations' apps
    # look; the real registry (seed_demo, tests) must keep its own afterwards.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    by_key = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type")
    }
    for name, keys in role_permissions(set(by_key)).items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([by_key[key] for key in sorted(keys)])
