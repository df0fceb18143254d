"""English formats: Django's, except that a date-time states its time zone.

The admin writes every date-time field (changelist columns, read-only fields, the
history) with ``DATETIME_FORMAT``; Django's own (“June 10, 2025, 9 a.m.”) leaves the
zone out, and an editor in another office cannot tell when an embargo lifts.
"""

from releases.times import DATETIME_FORMAT  # noqa: F401
