"""Every list's download, with its filters fuzzed through the address: a whole file or a 4xx,
never a 500 nor a download that breaks off half-way."""

import pytest
from hypothesis import strategies as st

from oppms.views import RecordListView

from .conftest import server_errors
from .fuzzing import STATUSES, fuzz
from .strategies import encode, form_pairs, junk_pairs
from .targets import list_targets, url_of

FORMATS = st.sampled_from(["csv", "xlsx"])


@pytest.mark.parametrize(
    "target", [t for t in list_targets() if issubclass(t.view_class, RecordListView)], ids=str
)
def test_list_downloads_never_fail(target, world, fuzz_client):
    url = url_of(target, world)
    form = target.view_class.filterset_class().form

    def check(draw):
        pairs = form_pairs(draw, form) + draw(junk_pairs, label="junk")
        pairs.append(("format", draw(FORMATS, label="format")))
        with server_errors() as errors:
            response = fuzz_client.get(f"{url}?{encode(pairs)}")
            # Read to the end: a streamed file fails, if it does, while it is read.
            body = b"".join(response.streaming_content) if response.streaming else b""
        STATUSES[response.status_code] += 1
        where = f"GET {url} {pairs!r:.2000}"
        assert response.status_code < 500 and not errors, f"{where}: {errors.describe()}"
        assert response.status_code != 200 or body, where

    fuzz("get", check)
