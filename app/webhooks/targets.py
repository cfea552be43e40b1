"""Where a webhook may be sent: no request forgery against the firm's own network.

A target must be https in production. Its host must resolve only to public addresses, unless
an address falls in ``CRENEAU_WEBHOOK_ALLOWED_NETWORKS`` (an on-premise DMS, tests). The check
runs when a subscription is saved and again at each delivery, on the address the request then
connects to (the delivery connects to the address it checked, so DNS rebinding cannot swap it).
"""

import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.errors import UnprocessableEntity

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class TargetRefused(UnprocessableEntity):
    slug = "webhook-target-refused"
    title = "This webhook address is not allowed"


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str
    port: int
    address: IPAddress


def _public(address: IPAddress) -> bool:
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or (isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None
            and not _public(address.ipv4_mapped))
    )  # fmt: skip


def resolve(url: str, *, https_only: bool, allowed: Sequence[Network]) -> Target:
    """The checked address to connect to, or TargetRefused saying why."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise TargetRefused("The address must be an http(s) URL with a host.")
    if https_only and parts.scheme != "https":
        raise TargetRefused("Webhook addresses must use https.")
    if parts.username or parts.password:
        raise TargetRefused("Put no credentials in the address; verify our signature instead.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise TargetRefused(f"The host {parts.hostname!r} does not resolve.") from exc
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    for address in addresses:
        if not _public(address) and not any(address in network for network in allowed):
            raise TargetRefused(
                f"The host resolves to {address}, a private, loopback, link-local or reserved "
                "address; list its network in CRENEAU_WEBHOOK_ALLOWED_NETWORKS to allow it."
            )
    return Target(url, parts.scheme, parts.hostname, port, addresses[0])
