from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OppmsConfig(AppConfig):
    """The project package is an app too: it owns the roles' data migration, removes
    uploaded files that no row refers to any more (oppms.uploads), gives SQLite the
    plain-text function every search compares with (oppms.plain), and puts on every table
    of PostgreSQL the trigger that logs which tables each transaction wrote (oppms.write_log)
    after each migrate."""

    name = "oppms"
    verbose_name = _("OPPMS")

    def ready(self):
        from oppms import (
            language,  # noqa: F401  (connects the login's language restore)
            middleware,  # noqa: F401  (connects the login's first session renewal)
            plain,
        )
        from oppms.uploads import connect_file_removal
        from oppms.write_log import install

        connect_file_removal()
        plain.connect()
        post_migrate.connect(install, sender=self)


class OppmsAdminConfig(admin_apps.AdminConfig):
    """Installed in place of ``django.contrib.admin``: ``admin.site`` is an OppmsAdminSite."""

    default = False  # OppmsConfig stays the oppms app's configuration

    default_site = "oppms.admin_site.OppmsAdminSite"
