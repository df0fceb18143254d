"""How the admin and the release pages write a time: always with its time zone.

Times are stored in UTC and shown in the current time zone (``TIME_ZONE``), so a
time without its zone is ambiguous to an editor in another office. ``DATETIME_FORMAT``
is also the admin's format for every date-time field (``newsroom/formats/en``).
"""

from __future__ import annotations

from datetime import datetime

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
