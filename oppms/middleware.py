"""Request ids for the logs, request bodies cut at the upload limit, and a clean 503 while the
database is unreachable."""

import logging
import re
import tempfile
import time
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.handlers.wsgi import LimitedStream
from django.db import InterfaceError, OperationalError, connection
from django.dispatch import receiver
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse

from oppms.uploads import distinct_sizes

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


class RequestBodyLimitMiddleware:
    """Refuse (413) a request body larger than one upload and the rest of its form, unread.

    A body whose declared Content-Length is over the limit is refused before a byte of it is
    read. A body streamed without a length (chunked) is dropped unread by Django's WSGI
    handler, so the form would arrive empty: when the server marks such a body as terminated
    (gunicorn does), it is read here into a temporary file, cut off as soon as it passes the
    limit, and otherwise handed on with its length; when the server does not, the client is
    asked for the length (411). The limit is UPLOAD_MAX_BYTES plus UPLOAD_FORM_MARGIN_BYTES;
    the proxy's client_max_body_size in the README matches it.
    """

    chunk_size = 64 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.UPLOAD_MAX_BYTES + settings.UPLOAD_FORM_MARGIN_BYTES
        declared = request.META.get("CONTENT_LENGTH")
        if declared:
            try:
                size = int(declared)
            except ValueError:
                size = 0  # Django reads no body for a length it cannot parse.
            if size > limit:
                return body_too_large(request, size, limit)
        elif "HTTP_TRANSFER_ENCODING" in request.META:
            if not request.META.get("wsgi.input_terminated"):
                return body_length_required(request)
            if not self.read_streamed_body(request, limit):
                return body_too_large(request, None, limit)
        return self.get_response(request)

    def read_streamed_body(self, request, limit):
        """Spool the streamed body; False as soon as it passes limit, without reading on."""
        body = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)
        size = 0
        while chunk := request.META["wsgi.input"].read(self.chunk_size):
            size += len(chunk)
            if size > limit:
                body.close()
                return False
            body.write(chunk)
        body.seek(0)
        request.META["CONTENT_LENGTH"] = str(size)
        # WSGIRequest reads its body, form fields and files from _stream, which it bound to
        # the missing length (0) when it was built.
        request._stream = LimitedStream(body, size)
        return True


def body_too_large(request, size, limit):
    if size is None:
        shown_size, shown_limit = None, filesizeformat(limit)
    else:
        shown_size, shown_limit = distinct_sizes(size, limit)
    context = {
        "size": shown_size,
        "limit": shown_limit,
        "file_limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
    }
    logger.warning("Request body refused: %s bytes, limit %s", size, limit)
    return TemplateResponse(request, "413.html", context, status=413).render()


def body_length_required(request):
    return TemplateResponse(request, "411.html", status=411).render()


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


# A session is renewed (saved with a fresh expiry and cookie) when its last renewal is older
# than this: a session ends between SESSION_COOKIE_AGE minus this and SESSION_COOKIE_AGE after
# the user's last request, and a user clicking through pages writes it once every few minutes
# rather than with every page (SESSION_SAVE_EVERY_REQUEST wrote a row per request).
SESSION_RENEW_AFTER = 5 * 60
SESSION_RENEWED_KEY = "_renewed_at"


def renew_session_if_due(session, now=None):
    """Mark a used, non-empty session modified when its expiry should slide forward."""
    if not session.accessed or session.is_empty():
        return
    now = int(now if now is not None else time.time())
    renewed = session.get(SESSION_RENEWED_KEY)
    if session.modified or not isinstance(renewed, int) or now - renewed >= SESSION_RENEW_AFTER:
        session[SESSION_RENEWED_KEY] = now


@receiver(user_logged_in, dispatch_uid="oppms.middleware.stamp_new_session")
def stamp_new_session(sender, request, user, **kwargs):
    """Logging in saves the session with a fresh expiry: that is its first renewal."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_RENEWED_KEY] = int(time.time())


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, with a sliding expiry renewed every few minutes, and a database outage leaves
    the session alone.

    Renewal: see SESSION_RENEW_AFTER.

    Outage: saving the session would fail and turn a clean 503 into a 500; deleting the cookie
    would log the user out because of the outage. If the database goes away only while the
    session is being saved, the user is told (503) rather than shown a page whose changes may
    be lost.
    """

    def process_response(self, request, response):
        if getattr(request, "database_unavailable", False):
            return response
        try:
            # Inside the guard: a session read while the database was away (the language
            # middleware falls back on the cookie then) is read again here, and fails again.
            if getattr(request, "session", None) is not None:
                renew_session_if_due(request.session)
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
