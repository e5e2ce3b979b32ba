"""Request ids for the logs, and a clean 503 while the database is unreachable."""

import logging
import re
import uuid
from contextvars import ContextVar

from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import InterfaceError, OperationalError, connection
from django.template.response import TemplateResponse

logger = logging.getLogger("oppms.requests")

current_request_id = ContextVar("current_request_id", default="-")
# A proxy's id is kept only when it looks like one, so a client cannot write into the logs.
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdFilter(logging.Filter):
    """Stamp every log record with the id of the request being served."""

    def filter(self, record):
        record.request_id = current_request_id.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.id = given if VALID_REQUEST_ID.match(given) else uuid.uuid4().hex
        token = current_request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request.id
        return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with a plain page when the database cannot be reached.

    Django reconnects by itself on the next request (CONN_HEALTH_CHECKS), so the application
    recovers without a restart once the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # OperationalError is the DB-API's word for a lost or refused connection; a bad query
        # raises ProgrammingError or IntegrityError instead and stays a visible bug.
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        return outage_response(request, exception)


def outage_response(request, exception):
    logger.error("Database unavailable: %s", exception)
    request.database_unavailable = True
    response = TemplateResponse(request, "503.html", status=503)
    response["Retry-After"] = "30"
    return response.render()


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that a database outage leaves the session alone.

    Saving the session would fail and turn a clean 503 into a 500; deleting the cookie would log
    the user out because of the outage. If the database goes away only while the session is
    being saved, the user is told (503) rather than shown a page whose changes may be lost.
    """

    def process_response(self, request, response):
        if getattr(request, "database_unavailable", False):
            return response
        try:
            return super().process_response(request, response)
        except (OperationalError, InterfaceError) as exception:
            return outage_response(request, exception)
        except SessionInterrupted:
            # The database session store reports any failed save as "session deleted"; when
            # the database itself is gone, that is an outage, not a bad request.
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
            except (OperationalError, InterfaceError) as exception:
                return outage_response(request, exception)
            raise
