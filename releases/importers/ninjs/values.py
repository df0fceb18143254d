"""Small readers shared by the ninjs modules: lists of objects, relationships, this
site's own links, short quotes for warnings."""

from __future__ import annotations

from typing import Any

from django.urls import Resolver404, resolve
from django.utils.text import Truncator

from releases.importers.files import own_site_path
from releases.importers.structured import MISSING, _list, _object


def objects(item: dict, key: str) -> list[dict]:
    """``item[key]`` as a list of objects; ``[]`` when absent or null; an error naming
    ``key`` or ``key[i]`` otherwise."""
    value = _list(item, key, key)
    if value is MISSING:
        return []
    for i, entry in enumerate(value):
        _object(entry, f"{key}[{i}]")
    return value


def rel(entry: dict) -> str:
    """The relationship's last word, lower case: ``…/contentprodpartyrole/Interviewee``
    reads as ``interviewee``; none is ``""``."""
    value = str(entry.get("rel") or "").strip().rstrip("/")
    return value.rsplit("/", 1)[-1].rsplit("#", 1)[-1].lower()


def route_slug(uri: Any, view_name: str) -> str:
    """The slug in ``uri`` when it is this site's URL for ``view_name`` (``""`` else):
    on this site's own hosts only (``own_site_path``); another host's
    ``/releases/<slug>/`` is an ordinary uri."""
    path = own_site_path(uri)
    if path is None:
        return ""
    try:
        match = resolve(path)
    except Resolver404:
        return ""
    return match.kwargs.get("slug", "") if match.view_name == view_name else ""


def short(value: Any, limit: int = 60) -> str:
    """A value quoted in a warning: one line, at most ``limit`` characters."""
    text = value if isinstance(value, str) else repr(value)
    return Truncator(" ".join(text.split())).chars(limit)
