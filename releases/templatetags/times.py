"""``{{ value|local_time }}``: a time in the current time zone, with the zone named."""

from django import template

from releases import times

register = template.Library()


@register.filter
def local_time(value) -> str:
    """“10 June 2025, 09:00 CEST”; empty for no value."""
    return times.local_time(value) if value else ""
