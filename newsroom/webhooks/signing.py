"""The ``X-Newsroom-Signature`` header: Stripe's scheme.

``t=<unix seconds>,v1=<hex>`` where ``<hex>`` is HMAC-SHA256 over ``"<t>.<body>"`` (the
body's exact bytes) keyed with the endpoint's secret (its UTF-8 bytes). During a secret's
rotation one ``v1=`` is given per valid secret; a receiver accepts the body when any of them
matches its secret and ``t`` is within the replay window (``TOLERANCE_SECONDS``).
docs/webhooks.md shows a receiver's check; ``verify`` is the same check, used by the tests.
"""

from __future__ import annotations

import hashlib
import hmac
import time

TOLERANCE_SECONDS = 300  # a receiver refuses a signature older (or newer) than 5 minutes


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``b"<timestamp>." + body`` keyed with ``secret``."""
    message = str(int(timestamp)).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secrets: list[str], timestamp: int, body: bytes) -> str:
    """``t=<timestamp>,v1=<hex>[,v1=<hex>…]``, one ``v1`` per secret."""
    parts = [f"t={int(timestamp)}"]
    parts += [f"v1={signature(secret, timestamp, body)}" for secret in secrets]
    return ",".join(parts)


def verify(
    secret: str, header: str, body: bytes, *, tolerance: int = TOLERANCE_SECONDS, now=None
) -> bool:
    """True when ``header`` carries a ``v1`` signature of ``body`` made with ``secret`` at
    a time within ``tolerance`` seconds of ``now`` (Unix seconds, default the clock)."""
    timestamp, candidates = None, []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            candidates.append(value)
    if timestamp is None or not candidates:
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)
