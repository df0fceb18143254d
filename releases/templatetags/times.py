"""``{{ value|local_time }}``: a time in the current time zone, with the zone named;
``{{ value|admin_time }}``: the same with UTC and the editor's own time beside it."""

from django import template

from releases import times

register = template.Library()


@register.filter
def local_time(value) -> str:
    """“10 June 2025, 09:00 CEST”; empty for no value."""
    return times.local_time(value) if value else ""


@register.filter
def admin_time(value) -> str:
    """“10 June 2025, 09:00 CEST (07:00 UTC; 03:00 EDT your time)”; empty for no value."""
    return times.local_and_utc(value) if value else ""
