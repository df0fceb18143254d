"""The contract between what notices a release event and what acts on it (webhooks, alerts).

``release_event`` is sent once per event, after the transaction that caused it committed,
with these keyword arguments (``sender`` is ``None``):

- ``kind``: ``"release.published"`` (the release became public: published and its time
  and embargo passed; once per spell of public visibility, see
  ``newsroom.events.publishing``), ``"release.updated"`` (a public release was saved with
  a change a reader sees, see ``newsroom.events.receivers``), ``"release.withdrawn"`` (a
  public release left public view: withdrawn, back to draft or review, rescheduled,
  embargoed again, or deleted);
- ``release_id``: the release's primary key (``int``); a deleted release's row is gone;
- ``event_id``: a string unique to this event, stable across retries (receivers use it to
  deliver at most once per endpoint);
- ``occurred_at``: an aware ``datetime`` (UTC), when the event happened;
- ``was_public``: ``bool``, whether the release was public just before the change (for
  ``release.withdrawn``: from the placement it was loaded with,
  ``Release.was_public_as_loaded``; withdrawn is told only then, so it is always
  ``True`` today); ``True`` for the other kinds;
- ``organization_ids``: ``list[int]``, the release's organizations at the time, in
  editorial order (first = issuer); for a deleted release, read before the delete.

Each event is also a row of the event log (``newsroom.events.models.ReleaseEvent``, found
by ``event_id``), committed before any receiver hears it. A receiver that raises is
logged and does not keep the others from hearing the event (``send_robust``).
"""

from django.dispatch import Signal

RELEASE_PUBLISHED = "release.published"
RELEASE_UPDATED = "release.updated"
RELEASE_WITHDRAWN = "release.withdrawn"
KINDS = (RELEASE_PUBLISHED, RELEASE_UPDATED, RELEASE_WITHDRAWN)

release_event = Signal()
