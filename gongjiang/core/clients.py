"""Who is asking: the key of the address a request comes from, for throttling (log-in, public forms).

The client address is REMOTE_ADDR; behind proxies, LOGIN_TRUSTED_PROXIES says how many of them append to
X-Forwarded-For (nginx's `$proxy_add_x_forwarded_for`), and the entry that many from the right is the client's (a
header the client sent itself is ignored). An IPv6 client counts as its /64 network (one subscriber gets a whole
/64), an IPv4-mapped IPv6 address as the IPv4 address."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_key(request: HttpRequest | None) -> str:
    """"ip:198.51.100.7", "ip:2001:db8:1:2::/64", or "ip:unknown" without a request."""
    if request is None:
        return "ip:unknown"
    address = request.META.get("REMOTE_ADDR", "") or ""
    trusted = int(getattr(settings, "LOGIN_TRUSTED_PROXIES", 0) or 0)
    if trusted > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if hops:
            address = hops[-trusted] if len(hops) >= trusted else hops[0]
    return "ip:" + network(address)


def network(address: str) -> str:
    """An address as throttling counts it: IPv4 as is, IPv6 as its /64."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()[:60]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(ip), 64), strict=False))
    return str(ip)
