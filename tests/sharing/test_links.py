"""The link pages, as their recipients (anonymous) open them: embargo and review links,
their downloads and files, the refusals, and the log of every view."""

import io
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pypdf
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from newsroom.sharing import services
from newsroom.sharing.models import LinkView, ShareLink, link_path
from releases.models import Release, Status
from releases.services import release_publish
from tests.factories import ReleaseFactory, editor
from tests.sharing.conftest import JANE

pytestmark = pytest.mark.django_db


class Hrefs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if href := dict(attrs).get("href"):
            self.hrefs.append(href)


def hrefs(html: str) -> list[str]:
    parser = Hrefs()
    parser.feed(html)
    return parser.hrefs


def later(monkeypatch, when):
    """Move the clock of the services and views (``timezone.now``) to ``when``."""
    monkeypatch.setattr(timezone, "now", lambda: when)


def views_of(issued):
    views = LinkView.objects.filter(link=issued.link).order_by("viewed_at", "id")
    return list(views.values_list("what", flat=True))


# -- the embargo link before the lift ------------------------------------------------------


def test_embargo_link_shows_the_release_before_the_lift(client, embargo_link):
    response = client.get(embargo_link.path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Harbour merger agreed" in html
    assert "First paragraph." in html


def test_embargo_link_page_names_the_lift_and_the_recipient(client, embargo_link, lift):
    html = client.get(embargo_link.path).content.decode()
    assert "EMBARGOED UNTIL" in html
    assert f'datetime="{timezone.localtime(lift).isoformat()}"' in html
    assert (
        'Shared with <strong class="share-recipient">Jane Roe of The Daily Example</strong>' in html
    )


def test_embargo_link_page_is_private_and_unindexed(client, embargo_link):
    response = client.get(embargo_link.path)
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert "noindex" in response["X-Robots-Tag"]
    assert {"no-store", "private"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    assert response["Referrer-Policy"] == "no-referrer"
    assert "Content-Encoding" not in response


def test_embargo_link_page_has_no_canonical_url_or_structured_data(client, embargo_link):
    html = client.get(embargo_link.path).content.decode()
    assert 'rel="canonical"' not in html
    assert "application/ld+json" not in html
    assert "og:url" not in html


def test_embargo_link_page_links_only_to_public_pages_and_its_own_files(client, embargo_link):
    """Every href on the page, fetched anonymously: none is a 404 (the organization, author
    and tag of the embargoed release are not public, so they are named without a link)."""
    html = client.get(embargo_link.path).content.decode()
    own = embargo_link.path
    checked = 0
    for href in hrefs(html):
        url = urlsplit(href)
        if url.scheme or url.netloc or href.startswith("#"):
            assert url.hostname != "testserver"
            continue
        if href.startswith("/static/"):  # files of the site, served by WhiteNoise
            continue
        response = client.get(href)
        assert response.status_code in (200, 302), href
        if not href.startswith(own):
            assert "Harbour merger" not in response.content.decode(errors="ignore"), href
        checked += 1
    assert checked > 5
    assert "Harbour Merger Partner" in html  # named, as plain text
    assert "/organizations/" not in html and "/authors/" not in html and "/tags/merger" not in html


def test_embargo_link_page_query_count(client, embargo_link, django_assert_num_queries):
    client.get(embargo_link.path)  # warm the caches a page uses
    with django_assert_num_queries(8):
        assert client.get(embargo_link.path).status_code == 200


def test_every_view_of_the_page_is_logged(client, embargo_link):
    client.get(embargo_link.path, HTTP_USER_AGENT="Mozilla/5.0 " + "x" * 500)
    client.get(embargo_link.path)
    logged = LinkView.objects.filter(link=embargo_link.link)
    assert views_of(embargo_link) == ["page", "page"]
    assert max(len(view.user_agent) for view in logged) == 300


# -- downloads through the link ---------------------------------------------------------


def test_pdf_through_the_link_is_served_and_logged(client, embargo_link):
    response = client.get(link_path("embargo", embargo_link.token, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    assert views_of(embargo_link) == ["pdf"]


def test_text_through_the_link_carries_the_embargo_and_is_logged(client, embargo_link):
    response = client.get(link_path("embargo", embargo_link.token, "text"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "EMBARGOED UNTIL" in text and "Harbour merger agreed" in text
    assert views_of(embargo_link) == ["txt"]


def test_attachment_through_the_link_is_served_inert_and_logged(client, embargo_link, embargoed):
    attachment = embargoed.attachments.get()
    url = link_path("embargo", embargo_link.token, "attachment", attachment_id=attachment.pk)
    assert url in client.get(embargo_link.path).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert views_of(embargo_link) == ["page", "attachment: fact_sheet.pdf"]


@pytest.mark.parametrize("filename", ["fact sheet.pdf", "Übersicht 2025.pdf", "a#b?c.pdf"])
def test_behind_nginx_the_link_redirects_to_the_stored_name_percent_encoded(
    client, settings, embargo_link, embargoed, filename
):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    attachment = embargoed.attachments.get()
    attachment.file.save(filename, ContentFile(b"%PDF-1.4 facts"), save=True)
    url = link_path("embargo", embargo_link.token, "attachment", attachment_id=attachment.pk)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + quote(attachment.file.name)
    assert " " not in response["X-Accel-Redirect"]


def test_the_attachment_itself_stays_404_for_anonymous(client, embargoed):
    assert client.get(embargoed.attachments.get().file.url).status_code == 404


def test_download_links_on_the_page_go_through_the_link(client, embargo_link):
    html = client.get(embargo_link.path).content.decode()
    assert f'href="{link_path("embargo", embargo_link.token, "pdf")}"' in html
    assert f'href="{link_path("embargo", embargo_link.token, "text")}"' in html


# -- one link, one release ------------------------------------------------------------------


def test_a_link_never_opens_another_release_attachment(client, embargo_link):
    other = ReleaseFactory(embargoed=True)
    from django.core.files.base import ContentFile

    from releases.models import Attachment

    foreign = Attachment(release=other, title="Other")
    foreign.file.save("other.pdf", ContentFile(b"%PDF other"))
    url = link_path("embargo", embargo_link.token, "attachment", attachment_id=foreign.pk)
    assert client.get(url).status_code == 404


def test_a_token_of_one_release_opens_only_that_release(client, embargo_link, the_editor):
    other = ReleaseFactory(embargoed=True, headline="Another embargoed story")
    [other_link] = services.share_release(
        release=other, recipients=[services.RecipientData(email="x@y.example")], user=the_editor
    )
    assert "Harbour merger agreed" in client.get(embargo_link.path).content.decode()
    html = client.get(other_link.path).content.decode()
    assert "Another embargoed story" in html and "Harbour merger agreed" not in html


def test_unknown_token_is_404(client, embargo_link):
    assert client.get(link_path("embargo", "x" * 43)).status_code == 404
    assert client.get(link_path("embargo", "x" * 500)).status_code == 404


def test_an_embargo_token_under_the_review_prefix_is_404(client, embargo_link):
    assert client.get(link_path("review", embargo_link.token)).status_code == 404


# -- after: revoked, expired, lifted ----------------------------------------------------


def test_revoked_link_answers_the_revoked_page(client, embargo_link, the_editor):
    services.revoke(link=embargo_link.link, user=the_editor)
    response = client.get(embargo_link.path)
    assert response.status_code == 410
    html = response.content.decode()
    assert "This link was revoked" in html
    assert "Harbour merger" not in html and "Jane Roe" not in html
    assert "no-store" in response["Cache-Control"]
    assert views_of(embargo_link) == []


def test_revoked_link_serves_no_download(client, embargo_link, the_editor):
    services.revoke(link=embargo_link.link, user=the_editor)
    assert client.get(link_path("embargo", embargo_link.token, "text")).status_code == 410


def test_expired_link_answers_the_expired_page(client, embargoed, the_editor, lift, monkeypatch):
    [issued] = services.share_release(
        release=embargoed,
        recipients=[services.RecipientData(email="early@paper.example")],
        user=the_editor,
        expires_at=lift - timedelta(hours=2),
    )
    later(monkeypatch, lift - timedelta(hours=1))
    response = client.get(issued.path)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()


def test_after_the_lift_the_link_leads_to_the_public_page(
    client, embargo_link, embargoed, lift, monkeypatch
):
    later(monkeypatch, lift + timedelta(minutes=1))
    response = client.get(embargo_link.path)
    assert response.status_code == 302
    assert response["Location"] == embargoed.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_an_embargo_moved_later_keeps_the_link_working_until_the_new_lift(
    client, embargo_link, embargoed, lift, monkeypatch
):
    """A delayed announcement: the journalists' links follow the embargo."""
    new_lift = lift + timedelta(days=2)
    Release.objects.filter(pk=embargoed.pk).update(embargoed_until=new_lift)
    later(monkeypatch, lift + timedelta(hours=1))

    response = client.get(embargo_link.path)

    assert response.status_code == 200
    assert "Harbour merger agreed" in response.content.decode()
    assert ShareLink.objects.get().stops_at == new_lift


def test_an_embargo_moved_earlier_ends_the_link_at_the_new_lift(client, embargo_link, embargoed):
    """The link stops when the release goes public: it then leads to the public page."""
    Release.objects.filter(pk=embargoed.pk).update(embargoed_until=timezone.now())

    response = client.get(embargo_link.path)

    assert response.status_code == 302
    assert response["Location"] == embargoed.get_absolute_url()


@pytest.mark.parametrize(
    "change",
    [
        {"embargoed_until": None, "published_at_days": 20},
        {"embargoed_until_hours": -1, "published_at_days": 20},
        {"embargoed_until_days": 2, "published_at_days": 5},
    ],
    ids=["embargo removed", "embargo lifted before a later publication", "publication later"],
)
def test_a_link_stops_when_the_embargo_no_longer_holds_the_release_back(
    client, embargo_link, embargoed, change
):
    """Held back by its publication time only, the release is merely scheduled: the link
    would announce a lift that does not make it public."""
    now = timezone.now()
    values = {"published_at": now + timedelta(days=change["published_at_days"])}
    if "embargoed_until_hours" in change:
        values["embargoed_until"] = now + timedelta(hours=change["embargoed_until_hours"])
    elif "embargoed_until_days" in change:
        values["embargoed_until"] = now + timedelta(days=change["embargoed_until_days"])
    else:
        values["embargoed_until"] = None
    Release.objects.filter(pk=embargoed.pk).update(**values)

    response = client.get(embargo_link.path)

    assert response.status_code == 410
    assert "Harbour merger" not in response.content.decode()
    assert "EMBARGOED UNTIL" not in response.content.decode()


def test_link_to_a_release_taken_back_to_draft_no_longer_works(client, embargo_link, embargoed):
    embargoed.status = Status.DRAFT
    embargoed.published_at = None
    embargoed.save()
    response = client.get(embargo_link.path)
    assert response.status_code == 410
    assert "Harbour merger" not in response.content.decode()


# -- review links -------------------------------------------------------------------------


def test_review_link_shows_the_draft_under_the_draft_banner(client, review_link):
    response = client.get(review_link.path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "DRAFT — for review, not for publication" in html
    assert "Quarterly figures draft" in html
    assert "Lee Gal" in html
    assert views_of(review_link) == ["page"]


def test_review_link_text_download_says_draft(client, review_link):
    text = client.get(link_path("review", review_link.token, "text")).content.decode()
    assert text.startswith("DRAFT — for review, not for publication")


def pdf_text(response) -> str:
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_review_link_pdf_says_draft_and_the_embargo_link_pdf_says_embargoed(
    client, review_link, embargo_link
):
    review = pdf_text(client.get(link_path("review", review_link.token, "pdf")))
    embargo = pdf_text(client.get(link_path("embargo", embargo_link.token, "pdf")))

    # Above the release line and headline (the dateline floats, so text order is loose).
    assert review.index("DRAFT — for review, not for publication") < review.index(
        "FOR IMMEDIATE RELEASE"
    )
    assert "DRAFT" not in embargo
    assert "EMBARGOED UNTIL" in embargo


def test_review_link_stops_after_revocation(client, review_link, the_editor):
    services.revoke(link=review_link.link, user=the_editor)
    response = client.get(review_link.path)
    assert response.status_code == 410
    assert "This link was revoked" in response.content.decode()


def test_review_link_stops_after_expiry(client, review_link, monkeypatch):
    later(monkeypatch, timezone.now() + timedelta(days=8))
    assert client.get(review_link.path).status_code == 410


def test_review_link_leads_to_the_public_page_once_published(client, review_link, draft):
    release_publish(release=draft, user=editor())
    response = client.get(review_link.path)
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()


def test_review_link_stops_when_the_release_is_withdrawn(client, review_link, draft):
    draft.status = Status.WITHDRAWN
    draft.withdrawn_at = timezone.now()
    draft.published_at = timezone.now() - timedelta(hours=1)
    draft.embargoed_until = timezone.now()
    draft.save()
    assert client.get(review_link.path).status_code == 410


def test_a_later_link_under_another_name_does_not_relabel_an_earlier_one(
    client, embargo_link, draft
):
    """Anyone who may make review links types a recipient's name; the embargo link made
    earlier for the same address keeps the name it was made for."""
    services.make_review_link(
        release=draft,
        recipient=services.RecipientData(
            email=JANE.email.upper(), name="Mallory", outlet="Rival Blog"
        ),
        user=editor(),
    )

    html = client.get(embargo_link.path).content.decode()

    assert "Jane Roe" in html
    assert "Mallory" not in html
    assert "Rival Blog" not in html
