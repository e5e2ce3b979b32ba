"""Turning the report's HTML into a PDF with WeasyPrint, with no network access.

The HTML links its stylesheet and fonts as ordinary static URLs; WeasyPrint resolves them
against a base URL on a reserved, never-resolving host, and ``StaticFileFetcher`` answers
those URLs from the static files on disk. Any other URL is refused, so a render never waits
on, or leaks to, the network.
"""

import logging
import mimetypes
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://oppms.invalid/"

logger = logging.getLogger(__name__)


def static_file_path(name):
    """The file on disk behind a static name (collected first, then the source folders)."""
    parts = PurePosixPath(name).parts
    if not parts or ".." in parts or name.startswith("/"):
        return None
    try:
        if staticfiles_storage.exists(name):
            return staticfiles_storage.path(name)
    except NotImplementedError:  # a storage without local paths
        pass
    return finders.find(name)


class StaticFileFetcher(URLFetcher):
    """Serve static files from disk and refuse every other URL."""

    def __init__(self):
        super().__init__(allowed_protocols={"https"}, allow_redirects=False)
        self.static_prefix = urljoin(BASE_URL, settings.STATIC_URL)

    def fetch(self, url, headers=None):
        url = url.split("#")[0]
        if not url.startswith(self.static_prefix):
            logger.warning("Report rendering refused to fetch %s", url)
            raise ValueError(f"Only static files may be fetched, not {url}")
        name = unquote(urlsplit(url).path[len(urlsplit(self.static_prefix).path) :])
        path = static_file_path(name)
        if path is None:
            raise ValueError(f"No static file {name!r}")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        with open(path, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url, body, headers={"Content-Type": content_type})


def html_to_pdf(html):
    """The PDF bytes of ``html``; static files come from disk, nothing from the network."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFileFetcher()).write_pdf()
