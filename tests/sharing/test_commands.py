"""share_release, revoke_share and share_log from the shell."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from newsroom.sharing import services
from newsroom.sharing.models import LinkView, ShareLink
from tests.factories import editor

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_share_release_prints_a_working_link(client, embargoed):
    url = run(
        "share_release",
        embargoed.slug,
        "--email",
        "jane@daily.example",
        "--name",
        "Jane Roe",
        "--base-url",
        "https://news.example.org/",
    ).strip()
    assert url.startswith("https://news.example.org/embargo/")
    assert client.get(url.removeprefix("https://news.example.org")).status_code == 200
    assert ShareLink.objects.get().created_by is None
    assert mail.outbox == []


def test_share_release_sends_with_send(embargoed):
    run("share_release", embargoed.slug, "--email", "jane@daily.example", "--send")
    assert [message.to for message in mail.outbox] == [["jane@daily.example"]]


def test_share_release_takes_an_iso_expiry(embargoed, lift):
    earlier = lift.replace(microsecond=0) - timedelta(hours=2)
    run("share_release", embargoed.slug, "--email", "j@x.example", "--expires", earlier.isoformat())
    assert ShareLink.objects.get().expires_at == earlier


def test_share_release_refuses_a_release_without_embargo(draft):
    with pytest.raises(CommandError, match="not published yet"):
        run("share_release", draft.slug, "--email", "j@x.example")


def test_share_release_refuses_a_bad_expiry(embargoed):
    with pytest.raises(CommandError, match="ISO 8601"):
        run("share_release", embargoed.slug, "--email", "j@x.example", "--expires", "tomorrow")


def test_revoke_share_by_email_and_all(client, embargoed, embargo_link):
    other = services.share_release(
        release=embargoed, recipients=[services.RecipientData(email="o@x.example")], user=None
    )[0]
    assert run("revoke_share", embargoed.slug, "--email", "JANE@daily.example").strip() == (
        "Revoked 1 link."
    )
    assert client.get(embargo_link.path).status_code == 410
    assert client.get(other.path).status_code == 200
    assert run("revoke_share", embargoed.slug, "--all").strip() == "Revoked 1 link."
    assert client.get(other.path).status_code == 410


def test_share_log_prints_views_as_csv_with_formulas_neutralized(client, embargoed):
    [issued] = services.share_release(
        release=embargoed,
        recipients=[services.RecipientData(email="j@x.example", name="=HYPERLINK(1)")],
        user=None,
    )
    client.get(issued.path, HTTP_USER_AGENT="@evil")
    rows = list(csv.reader(io.StringIO(run("share_log", embargoed.slug))))
    assert rows[0] == ["viewed_at", "kind", "recipient", "email", "outlet", "what", "user_agent"]
    assert rows[1][1:] == ["embargo", "'=HYPERLINK(1)", "j@x.example", "", "page", "'@evil"]
    assert LinkView.objects.count() == 1


def test_share_log_of_an_unknown_slug_is_an_error(db):
    with pytest.raises(CommandError, match="No release"):
        run("share_log", "no-such-release")


def test_a_renamed_recipient_leaves_earlier_links_their_name_in_the_log_and_the_admin(
    client, embargoed
):
    run(
        "share_release",
        embargoed.slug,
        "--email",
        "a@x.org",
        "--name",
        "Ann A",
        "--outlet",
        "Gazette",
    )
    first = ShareLink.objects.get()
    LinkView.objects.create(link=first, what="page")
    run("share_release", embargoed.slug, "--email", "a@x.org", "--name", "Ann Renamed")

    rows = list(csv.reader(io.StringIO(run("share_log", embargoed.slug))))
    client.force_login(editor())
    listing = client.get(reverse("admin:sharing_sharelink_changelist")).content.decode()
    second = ShareLink.objects.exclude(pk=first.pk).get()

    assert rows[1][2:5] == ["Ann A", "a@x.org", "Gazette"]
    assert "Ann A of Gazette &lt;a@x.org&gt;" in listing
    # The new name came without an outlet: it does not inherit the old name's.
    assert second.shared_with.described == "Ann Renamed"
    assert "Ann Renamed &lt;a@x.org&gt;" in listing
