"""How the admin and the release pages write a time: always with its time zone.

Times are stored in UTC and shown in the current time zone (``TIME_ZONE``), so a
time without its zone is ambiguous to an editor in another office. ``DATETIME_FORMAT``
is also the admin's format for every date-time field (``newsroom/formats/en``).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import zoneinfo
from datetime import datetime
from urllib.parse import unquote

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

# “10 June 2025, 09:00 CEST”; ``T`` is the zone's abbreviation at that time (or its
# UTC offset, “+04”, for zones that have no abbreviation).
DATETIME_FORMAT = "j F Y, H:i T"


def local_time(value: datetime) -> str:
    """``value`` (aware) in the current time zone, e.g. “10 June 2025, 09:00 CEST”."""
    return date_format(timezone.localtime(value), DATETIME_FORMAT)


def zone_note() -> str:
    """The help text of a time input: “Times are in Europe/Berlin (CEST).”

    The admin's date/time inputs read and show times in the current time zone;
    Django says so only through JavaScript, and only when the browser's zone differs.
    """
    name = timezone.get_current_timezone_name()
    abbreviation = timezone.localtime().tzname()
    if abbreviation and abbreviation != name:
        return f"Times are in {name} ({abbreviation})."
    return f"Times are in {name}."


# The editor's own zone, for the request being answered (``EditorTimeZoneMiddleware``
# sets it from the cookie static/js/editor_zone.js writes); None when unknown.
_editor_zone: contextvars.ContextVar[zoneinfo.ZoneInfo | None] = contextvars.ContextVar(
    "editor_zone", default=None
)
EDITOR_ZONE_COOKIE = "newsroom_editor_tz"


def editor_zone() -> zoneinfo.ZoneInfo | None:
    return _editor_zone.get()


def zone_named(name: str) -> zoneinfo.ZoneInfo | None:
    """The IANA zone ``name`` if the system knows it, else None (never raises)."""
    if name not in _known_zones():
        return None
    return zoneinfo.ZoneInfo(name)


@functools.cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class EditorTimeZoneMiddleware:
    """Reads the editor's own zone from its cookie for the length of a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The script percent-encodes the name ("America%2FNew_York").
        zone = zone_named(unquote(request.COOKIES.get(EDITOR_ZONE_COOKIE, "")[:100]))
        token = _editor_zone.set(zone)
        try:
            return self.get_response(request)
        finally:
            _editor_zone.reset(token)


def _clock(value: datetime, on_day_of: datetime) -> str:
    """``H:i`` of ``value``, with its date when that is not the day of ``on_day_of``."""
    if value.date() == on_day_of.date():
        return f"{value:%H:%M}"
    return date_format(value, "j F Y, H:i")


def local_and_utc(value: datetime) -> str:
    """``local_time`` with UTC beside it, and the editor's own time when their zone is
    known and differs: “10 June 2025, 09:00 CEST (07:00 UTC; 03:00 EDT your time)”.

    For the admin, where editors in other offices compare times; the date is left out
    of the other parts when it is the same day (near midnight it is named).
    """
    shown = timezone.localtime(value)
    # A site that shows UTC already says it: the parentheses only add the editor's time.
    in_utc = shown.utcoffset() == dt.timedelta(0) and shown.tzname() == "UTC"
    parts = [] if in_utc else [f"{_clock(value.astimezone(dt.UTC), shown)} UTC"]
    own = editor_zone()
    if own is not None and own.key != timezone.get_current_timezone_name():
        mine = value.astimezone(own)
        if mine.utcoffset() != shown.utcoffset() or mine.tzname() != shown.tzname():
            parts.append(f"{_clock(mine, shown)} {mine.tzname()} your time")
    return f"{local_time(value)} ({'; '.join(parts)})" if parts else local_time(value)


# -- times entered in a chosen zone ------------------------------------------------------


@functools.cache
def zone_choices() -> list[tuple[str, str]]:
    """Every IANA zone the system knows (``zoneinfo``), sorted, for a select."""
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class TimeZoneField(forms.ChoiceField):
    """“Time zone”: the zone the form's date-time inputs are read in; ``TIME_ZONE`` by
    default. Cleans to a ``ZoneInfo``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Time zone")
        kwargs.setdefault(
            "help_text",
            "The zone of the times entered above. A time that happens twice (when the "
            "clocks go back) is read as its first occurrence; one the clocks skip is refused.",
        )
        super().__init__(choices=zone_choices, required=False, **kwargs)
        self.initial = lambda: settings.TIME_ZONE  # read per form, not at import

    def clean(self, value):
        return zoneinfo.ZoneInfo(super().clean(value) or settings.TIME_ZONE)


def as_wall_time(field: forms.Field) -> forms.Field:
    """``field`` (a date-time field, split or not) made to clean to the naive wall time
    entered, for ``in_zone`` to place in the chosen zone. Read through UTC, which has no
    gaps or repeated hours, so Django's own refusal of such times never applies."""
    base = type(field)

    class WallTime(base):
        def clean(self, value):
            with timezone.override(dt.UTC):
                cleaned = super().clean(value)
            return cleaned.replace(tzinfo=None) if cleaned else cleaned

    field.__class__ = WallTime  # same state, one method more: keeps widget, label, help
    return field


def in_zone(wall: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """The naive wall time ``wall`` in ``zone``, aware.

    A repeated wall time (clocks going back) is its first occurrence (``fold=0``). One
    that does not exist (clocks going forward, “2025-03-30 02:30” in Europe/Berlin)
    raises ``ValidationError``: it would not round-trip to itself.
    """
    value = wall.replace(tzinfo=zone, fold=0)
    if value.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != wall:
        raise ValidationError(
            "%(time)s does not exist in %(zone)s: the clocks skip it. Pick another time.",
            code="nonexistent_time",
            params={"time": date_format(wall, "j F Y, H:i"), "zone": zone.key},
        )
    return value


def read_in_zone(form: forms.Form, names: tuple[str, ...]) -> None:
    """In ``form.clean()``: make the naive times of ``names`` aware in the form's
    ``time_zone``; a time the zone skips becomes that field's error."""
    cleaned = form.cleaned_data
    zone = cleaned.get("time_zone") or zoneinfo.ZoneInfo(settings.TIME_ZONE)
    for name in names:
        value = cleaned.get(name)
        if isinstance(value, datetime) and timezone.is_naive(value):
            try:
                cleaned[name] = in_zone(value, zone)
            except ValidationError as error:
                del cleaned[name]
                form.add_error(name, error)
