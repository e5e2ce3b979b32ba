"""Django's model backend, with each user's row and permissions kept while unchanged.

Every page asks the user's permissions: Django reads them with two queries a request (the
user's own and their groups'), the same answer until an administrator changes a user, a group
or a role. Here they are kept under the user's key beside the database snapshot
(``oppms.unchanged``), like any answer that only a write can change: a permission given or
taken is in force on the next request, on every instance.
"""

from django.contrib.auth.backends import ModelBackend

from oppms.unchanged import while_unchanged


class KeptPermissionsBackend(ModelBackend):
    def get_user(self, user_id):
        """The logged-in user of every request: the row is read again only after a write, and
        then by its statement alone, not by building the query (oppms.unchanged)."""
        return while_unchanged(
            ("user", user_id),
            lambda: super(KeptPermissionsBackend, self).get_user(user_id),
            per_language=False,
        )

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = while_unchanged(
                # The user's row is read before the request's snapshot, so what the answer
                # takes from it is in the key (oppms.unchanged).
                ("permissions", user_obj.pk, user_obj.is_superuser),
                lambda: super(KeptPermissionsBackend, self).get_all_permissions(user_obj),
                per_language=False,
            )
        return user_obj._perm_cache
