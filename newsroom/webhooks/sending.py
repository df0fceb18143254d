"""One HTTP POST to an endpoint, bounded in time and size, to a checked address.

No redirect is followed (``http.client`` follows none), the host's addresses are checked
(``addresses.public_addresses``) and the connection goes to the checked address (TLS still
verifies the certificate for the URL's host name), connecting takes at most
``CONNECT_TIMEOUT`` seconds and the whole exchange at most ``TOTAL_TIMEOUT`` (the socket is
shut down when the time is up), and at most ``EXCERPT_BYTES`` of the answer are read.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
import unicodedata
from urllib.parse import urlsplit

from newsroom.webhooks.addresses import check_endpoint_url, public_addresses

CONNECT_TIMEOUT = 5.0  # seconds
TOTAL_TIMEOUT = 10.0  # seconds, from the first connection attempt to the answer's excerpt
EXCERPT_BYTES = 2048


class Refused(Exception):
    """The URL or its addresses may not be used: no retry helps (a ``failed`` delivery)."""


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST ``body`` to ``url``: ``(status code, first EXCERPT_BYTES of the answer)``.

    Raises ``Refused`` (URL not allowed, address not public), ``TimeoutError`` (time up),
    ``OSError`` or ``http.client.HTTPException`` (network or protocol failure).
    """
    try:
        scheme, host, port = check_endpoint_url(url)
        addresses = public_addresses(host, port)
    except ValueError as exc:
        raise Refused(str(exc)) from None
    parts = urlsplit(url.strip())
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    deadline = time.monotonic() + TOTAL_TIMEOUT
    conn = _connect(scheme, host, port, addresses, deadline)
    # A hard stop: a server answering one byte a second must not hold a worker. Once the
    # socket is shut, reads end as if the server had closed: http.client then takes an
    # unfinished header block or body for a complete one, so an answer the stop cut short
    # is a timeout (``cut``), whatever was parsed from it, never a success.
    cut = threading.Event()
    timer = threading.Timer(max(0.0, deadline - time.monotonic()), _shut, [conn, cut])
    timer.daemon = True
    timer.start()
    late = TimeoutError(f"No complete answer within {TOTAL_TIMEOUT:g} s.")
    try:
        conn.sock.settimeout(max(0.01, deadline - time.monotonic()))
        conn.request("POST", target, body=body, headers=headers)
        response = conn.getresponse()
        answer = response.status, response.read(EXCERPT_BYTES)
    except (OSError, http.client.HTTPException) as exc:
        if cut.is_set() or time.monotonic() >= deadline - 0.01:
            raise late from exc
        raise
    finally:
        timer.cancel()
        conn.close()
    if cut.is_set() or time.monotonic() > deadline:
        raise late
    return answer


def tls_context() -> ssl.SSLContext:
    """The system's trusted CAs, certificate and host name checked (``ssl``'s defaults)."""
    return ssl.create_default_context()


def _connect(scheme, host, port, addresses, deadline) -> http.client.HTTPConnection:
    error: OSError | None = None
    for address in addresses:
        timeout = min(CONNECT_TIMEOUT, deadline - time.monotonic())
        if timeout <= 0:
            break
        if scheme == "https":
            conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=tls_context())
        else:
            conn = http.client.HTTPConnection(host, port, timeout=timeout)

        def pinned(where, timeout=None, source_address=None, _address=address):
            return socket.create_connection((_address, where[1]), timeout, source_address)

        conn._create_connection = pinned
        try:
            conn.connect()
        except TimeoutError:
            error = TimeoutError(f"No connection to {address} within {timeout:g} s.")
            conn.close()
        except OSError as exc:
            error = exc
            conn.close()
        else:
            return conn
    raise error or TimeoutError(f"No connection within {TOTAL_TIMEOUT:g} s.")


def _shut(conn: http.client.HTTPConnection, cut: threading.Event) -> None:
    cut.set()
    sock = conn.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def excerpt(data: bytes) -> str:
    """An answer's bytes as text for the log: UTF-8 (bad bytes replaced), control and
    format characters other than newline and tab removed (no NUL reaches the database,
    no bidirectional override reaches the admin). Shown escaped."""
    text = data[:EXCERPT_BYTES].decode("utf-8", errors="replace")
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    )
