"""Settings for bench/http_pages.py: production's settings with the benchmark's URL configuration.

The bare anchor view lives only in bench/http_urls.py, never in the application's code.
"""

from oppms.settings import *  # noqa: F403

ROOT_URLCONF = "bench.http_urls"
