"""The loop every fuzz test shares: draw a request, send it, check what came back."""

import os
from collections import Counter

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import server_errors
from .strategies import encode

FORM_BODY = "application/x-www-form-urlencoded"
STATUSES = Counter()  # answers of the current test, shown with FUZZ_STATS=1


def examples(kind):
    """Examples per target; FUZZ_EXAMPLES=<n> runs more (or fewer) for every target."""
    default = {"form": 10, "get": 10}[kind]
    return int(os.environ.get("FUZZ_EXAMPLES", default))


def fuzz(kind, check):
    """Run ``check(draw)`` for many drawn examples, each in a savepoint rolled back after it.

    Rolling back keeps every example on the same rows, so each is repeatable alone.
    """

    @settings(
        max_examples=examples(kind),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def run(data):
        with transaction.atomic():
            check(data.draw)
            transaction.set_rollback(True)

    run()
    if os.environ.get("FUZZ_STATS"):
        print(f"\n{os.environ.get('PYTEST_CURRENT_TEST', '')}: {dict(sorted(STATUSES.items()))}")
    STATUSES.clear()


def send(client, method, url, pairs):
    """POST ``pairs`` as a form body, or GET them as the query; the answer and what it logged."""
    with server_errors() as errors:
        if method == "post":
            response = client.post(url, encode(pairs), content_type=FORM_BODY)
        else:
            query = encode(pairs)
            response = client.get(f"{url}?{query}" if query else url)
    STATUSES[response.status_code] += 1
    where = f"{method.upper()} {url} {pairs!r:.2000}"
    assert response.status_code < 500 and not errors, (
        f"{where}: {response.status_code} {errors.describe()}"
    )
    return response, where
