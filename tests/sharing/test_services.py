"""The sharing services: who may share, what may be shared, tokens, signals."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from newsroom.sharing import services
from newsroom.sharing.models import LinkStatus, Recipient, ShareLink, hash_token
from releases.signals import release_action
from tests.factories import ReleaseFactory, editor, writer

from .conftest import JANE

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions():
    sent = []

    def receive(sender, release, user, action, note, **kwargs):
        sent.append((action, release.pk, user, note))

    release_action.connect(receive, dispatch_uid="test_sharing_actions")
    yield sent
    release_action.disconnect(dispatch_uid="test_sharing_actions")


def test_embargo_link_stops_at_the_lift_by_default(embargo_link, lift):
    assert embargo_link.link.expires_at is None
    assert embargo_link.link.stops_at == lift
    assert embargo_link.link.status() == LinkStatus.ACTIVE


def test_token_is_stored_only_as_its_digest(embargo_link):
    link = ShareLink.objects.get()
    assert link.token_hash == hash_token(embargo_link.token)
    assert embargo_link.token not in link.token_hash
    assert len(embargo_link.token) >= 43


def test_writer_cannot_share_an_embargo_link(embargoed):
    with pytest.raises(PermissionDenied):
        services.share_release(release=embargoed, recipients=[JANE], user=writer())
    assert not ShareLink.objects.exists()


def test_writer_may_make_a_review_link(draft):
    issued = services.make_review_link(release=draft, recipient=JANE, user=writer())
    assert issued.link.kind == "review"


def test_writer_cannot_revoke_an_embargo_link(embargo_link):
    with pytest.raises(PermissionDenied):
        services.revoke(link=embargo_link.link, user=writer())


def test_release_without_embargo_is_refused_with_a_message(the_editor):
    public = ReleaseFactory(headline="Already out")
    with pytest.raises(ValidationError, match="public already"):
        services.share_release(release=public, recipients=[JANE], user=the_editor)
    scheduled = ReleaseFactory(scheduled=True, headline="Later")
    with pytest.raises(ValidationError, match="has no embargo"):
        services.share_release(release=scheduled, recipients=[JANE], user=the_editor)


def test_draft_is_refused_an_embargo_link(draft, the_editor):
    with pytest.raises(ValidationError, match="review link"):
        services.share_release(release=draft, recipients=[JANE], user=the_editor)


def test_an_expiry_after_the_lift_means_until_the_lift(embargoed, the_editor, lift):
    """After the lift the link leads to the public page: a later expiry adds nothing."""
    [issued] = services.share_release(
        release=embargoed, recipients=[JANE], user=the_editor, expires_at=lift + timedelta(hours=1)
    )
    assert issued.link.expires_at is None
    assert issued.link.stops_at == lift


def test_review_link_for_a_published_release_is_refused(the_editor):
    with pytest.raises(ValidationError, match="drafts"):
        services.make_review_link(release=ReleaseFactory(), recipient=JANE, user=the_editor)


def test_review_link_expires_after_seven_days_by_default(review_link):
    left = review_link.link.expires_at - timezone.now()
    assert timedelta(days=6, hours=23) < left <= timedelta(days=7)


def test_earlier_recipient_is_reused_by_email_in_any_case(embargoed, the_editor):
    services.share_release(release=embargoed, recipients=[JANE], user=the_editor)
    again = services.RecipientData(email="JANE@Daily.Example", name="", outlet="")
    services.share_release(release=embargoed, recipients=[again], user=the_editor)
    assert Recipient.objects.count() == 1
    assert Recipient.objects.get().name == "Jane Roe"


def test_revoke_all_stops_every_active_link(embargoed, the_editor):
    others = [services.RecipientData(email=f"r{n}@paper.example") for n in range(3)]
    services.share_release(release=embargoed, recipients=others, user=the_editor)
    revoked = services.revoke_all(release=embargoed, user=the_editor)
    assert len(revoked) == 3
    assert not ShareLink.objects.active().exists()


def test_shell_acts_without_a_user(embargoed):
    [issued] = services.share_release(release=embargoed, recipients=[JANE], user=None)
    assert issued.link.created_by is None


def test_services_say_what_they_did(embargoed, draft, actions):
    user = editor()
    [issued] = services.share_release(release=embargoed, recipients=[JANE], user=user)
    services.make_review_link(release=draft, recipient=JANE, user=user)
    services.revoke(link=issued.link, user=user)
    services.revoke(link=issued.link, user=user)  # already revoked: nothing more
    assert [(action, pk) for action, pk, _, _ in actions] == [
        ("share", embargoed.pk),
        ("review_link", draft.pk),
        ("revoke", embargoed.pk),
    ]
    assert "jane@daily.example" in actions[0][3]
