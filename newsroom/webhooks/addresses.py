"""Which URLs an endpoint may have, and which addresses a delivery may connect to.

An endpoint's URL is HTTPS and a host written as an IP address must be a public one
(``check_endpoint_url``, when it is saved, and again when it is sent). When a delivery is
sent, its host is resolved and every address must be public (``public_addresses``):
loopback, private (RFC 1918, RFC 4193), link-local (cloud metadata at 169.254.169.254),
shared (RFC 6598), multicast, reserved and unspecified addresses are refused, as is an
IPv4 address mapped into IPv6 that is one of those: a webhook must not become a way to
reach the site's own network (server-side request forgery, OWASP). The delivery then
connects to the address that was checked, not to a second lookup's answer.

``NEWSROOM_WEBHOOKS_ALLOW_LOCAL`` (or ``DEBUG``) lifts these rules for development and
tests: ``http://`` to ``localhost``, ``127.0.0.1`` or ``[::1]``, and local addresses
(literal or resolved).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


def local_allowed() -> bool:
    """True when local addresses and plain HTTP to loopback are allowed (development)."""
    return bool(settings.DEBUG or settings.NEWSROOM_WEBHOOKS_ALLOW_LOCAL)


def check_endpoint_url(url: str) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of an acceptable endpoint URL, the host in ASCII (IDNA);
    ``ValueError`` with a message for the editor otherwise (not HTTPS, credentials or a
    fragment in it, no host or an invalid one)."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        raise ValueError("The URL's port is not a number between 0 and 65535.") from None
    host = (parts.hostname or "").lower()
    if not host:
        raise ValueError("Enter a full URL, such as https://example.org/hooks/newsroom.")
    try:  # an internationalized name as DNS and the Host header know it (IDNA, punycode)
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(f"{host!r} is not a valid host name.") from None
    if parts.username or parts.password:
        raise ValueError("Leave user names and passwords out of the URL: deliveries are signed.")
    if parts.fragment:
        raise ValueError("Leave the #fragment out of the URL: it is never sent.")
    if parts.scheme == "https":
        scheme, port = "https", port or 443
    elif parts.scheme == "http" and host in LOOPBACK_HOSTS and local_allowed():
        scheme, port = "http", port or 80
    else:
        raise ValueError(
            "Webhook URLs must use HTTPS (https://…): the body is a release's text and "
            "the signature must not travel in clear."
        )
    literal = literal_address(host)
    if literal is not None and not local_allowed() and not is_public_address(literal):
        raise ValueError(
            f"Refused: {literal} is not a public address (loopback, private, link-local "
            "or reserved); webhooks go to the public internet only."
        )
    return scheme, host, port


def literal_address(host: str) -> str | None:
    """The address a host written as an IP address stands for (``"10.0.0.5"``, ``"::1"``,
    and the shorthand IPv4 forms the C resolver accepts, ``inet_aton``: ``"127.1"``,
    ``"0x7f000001"``, ``"2130706433"``), as a string; ``None`` for a host name."""
    try:
        return str(ipaddress.ip_address(host.split("%", 1)[0]))
    except ValueError:
        pass
    try:
        return socket.inet_ntoa(socket.inet_aton(host))
    except (OSError, UnicodeError, ValueError):
        return None


def is_public_address(address: str) -> bool:
    """True for a globally routable unicast address (``ipaddress``'s ``is_global``,
    IANA's special-purpose registries), an IPv4-mapped IPv6 address judged as its IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def public_addresses(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to (strings), all checked. ``ValueError`` when the
    name does not resolve or any address is not public (unless ``local_allowed()``)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ConnectionError(f"The host name {host!r} does not resolve: {exc}.") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not local_allowed():
        refused = [a for a in addresses if not is_public_address(a)]
        if refused:
            raise ValueError(
                f"Refused: {host!r} resolves to {', '.join(refused)}, which is not a public "
                "address (loopback, private, link-local or reserved)."
            )
    return addresses
