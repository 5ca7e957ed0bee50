"""The client's address, as lock-outs and sign-up limits count it.

Behind reverse proxies every request arrives from a proxy, so the address is read from
X-Forwarded-For — but only the hops our own proxies appended. REELEARN_TRUSTED_PROXIES lists
them (addresses or networks). Walking the header from the right, each hop that came from a
trusted proxy is peeled off; the first address that did not is the client. Anything to its left
was written by the client and is never believed, so a forged header changes nothing.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.REELEARN_TRUSTED_PROXIES)))


def client_address(request) -> str:
    """The address of whoever connected to the outermost trusted proxy (or to us directly)."""
    address = request.META.get("REMOTE_ADDR", "")
    if not _trusted(address):
        return address
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return address  # a mangled header: the last address we can vouch for
        address = hop
        if not _trusted(hop):
            return hop
    return address
