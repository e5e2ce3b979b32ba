"""Sessions in the database (Django's), each read kept while its row is unchanged.

Every request reads its session: a query, and Django building it, a tenth of a kept page's
time. Here the row is kept like any answer (oppms.unchanged): read again only after a write has
been committed somewhere, and then by running its statement again, not by building it. The
expiry is checked on every request, against the clock.
"""

from django.contrib.sessions.backends import db
from django.utils import timezone

from oppms.unchanged import while_unchanged


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        key = self.session_key
        row = key and while_unchanged(
            ("session", key),
            lambda: (
                self.model.objects.filter(session_key=key)
                .values_list("session_data", "expire_date")
                .first()
            ),
            per_language=False,
        )
        if not row or row[1] <= timezone.now():
            self._session_key = None
            return None
        data, expire_date = row
        return self.model(session_key=key, session_data=data, expire_date=expire_date)
