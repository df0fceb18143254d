"""Text a database can store: the one rule, shared by requests and imports.

PostgreSQL refuses NUL (U+0000) in text ("A string literal cannot contain NUL"), and no
database can store a lone surrogate (U+D800 to U+DFFF: not encodable as UTF-8; JSON's
``"\\ud800"`` decodes to one). SQLite would store a NUL and cut the text at it in some
functions, so it is refused everywhere: the same input gets the same answer on both.
"""

from __future__ import annotations

import re
from typing import Any

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def is_storable(text: str) -> bool:
    return UNSTORABLE.search(text) is None


def unstorable_field(value: Any, field: str = "") -> str | None:
    """Where the first unstorable text is in decoded JSON, as a path (``headline``,
    ``organizations[0].name``; a bad key names the key), or None.

    Walks the whole value: cost linear in its size.
    """
    if isinstance(value, str):
        return None if is_storable(value) else field
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{field}.{key}" if field else str(key)
            if isinstance(key, str) and not is_storable(key):
                return path
            if (found := unstorable_field(item, path)) is not None:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if (found := unstorable_field(item, f"{field}[{i}]")) is not None:
                return found
    return None
