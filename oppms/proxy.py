"""The address a request really comes from, as far as it can be trusted.

Behind the TLS proxy the README describes, every request reaches the application from the
proxy's own address; each trusted proxy appends the address it received the request from to
``X-Forwarded-For``. Entries to the left of those were written by the client and prove nothing,
so the client's address is the ``TRUSTED_PROXY_COUNT``-th entry counted from the right.
django-axes keys its lockouts on this address (``AXES_CLIENT_IP_CALLABLE``).
"""

import ipaddress

from django.conf import settings

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


def client_address(request):
    """The client's address: ``REMOTE_ADDR``, or behind trusted proxies what they forwarded."""
    remote_address = request.META.get("REMOTE_ADDR")
    if not settings.BEHIND_TLS_PROXY:
        return remote_address
    hops = [hop.strip() for hop in request.META.get(FORWARDED_FOR, "").split(",")]
    if len(hops) < settings.TRUSTED_PROXY_COUNT:
        # Fewer entries than proxies: the request skipped one of them. The nearest address
        # known is the only one nobody could have written.
        return remote_address
    try:
        return str(ipaddress.ip_address(hops[-settings.TRUSTED_PROXY_COUNT]))
    except ValueError:  # not an address: the proxies are not set up as the README says
        return remote_address
