"""The public release page: the nine parts in order, contacts, corrections, neighbours, 410."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from releases.models import Attachment, Correction
from tests.factories import (
    AuthorFactory,
    ContactFactory,
    OrganizationFactory,
    ReleaseFactory,
    editor,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    """Every "now" in this module — visibility, factories, timestamps — is NOW."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def page(client, release) -> str:
    response = client.get(release.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def assert_in_order(html: str, *markers: str) -> None:
    """The markers appear in this order in the page's <main> (the <head> repeats some)."""
    html = html[html.index("<main") :]
    positions = []
    for marker in markers:
        assert marker in html, f"{marker!r} is missing from the page"
        positions.append(html.index(marker))
    assert positions == sorted(positions), [
        m for _, m in sorted(zip(positions, markers, strict=True))
    ]


@pytest.fixture
def full_release():
    """A public release with every part filled in, published at NOW - 1 day."""
    issuer = OrganizationFactory(name="Ocean Trust", boilerplate="Ocean Trust protects seas.")
    release = ReleaseFactory(
        headline="Reef survey finds recovery",
        subheadline="Coral cover up a third in five years",
        dateline="Cairns",
        body="<p>The reef is recovering, scientists said.</p><p>More follows.</p>",
        published_at=NOW - timedelta(days=1),
        featured_image="releases/2025/reef.jpg",
        featured_image_alt="Divers over a coral reef",
        featured_image_caption="The northern reef in February",
        featured_image_credit="A. Diver",
        author=AuthorFactory(name="Sam Reporter", bio="Sam covers the oceans."),
        organizations=[issuer],
        contacts=[ContactFactory(name="Kim Press", email="press@example.org")],
        tags=["oceans"],
    )
    Correction.objects.create(
        release=release, noted_at=NOW - timedelta(hours=2), note="Corrected the survey area."
    )
    attachment = Attachment(release=release, title="Survey report", position=0)
    attachment.file.save("report.pdf", ContentFile(b"%PDF-1.4 " + b"x" * 2048), save=True)
    return release


def test_public_release_shows_every_part_in_the_conventional_order(client, full_release):
    older = ReleaseFactory(headline="Earlier news", published_at=NOW - timedelta(days=2))
    html = page(client, full_release)

    assert_in_order(
        html,
        "FOR IMMEDIATE RELEASE",
        "<h1>Reef survey finds recovery</h1>",
        "Coral cover up a third in five years",
        'alt="Divers over a coral reef"',
        "The northern reef in February",
        "Photo: A. Diver",
        'class="dateline"',
        "<bdi>CAIRNS</bdi>, ",
        'dir="ltr">13 March 2025</time> —',
        "The reef is recovering, scientists said.",
        "About Ocean Trust</h2>",
        "Ocean Trust protects seas.",
        "###",
        "Media contacts</h2>",
        "Kim Press",
        "About the author</h2>",
        f'href="{full_release.author.get_absolute_url()}">Sam Reporter</a>',
        "Sam covers the oceans.",
        "Tags</h2>",
        '<a href="/tags/oceans/" rel="tag">oceans</a>',
        "Corrections</h2>",
        "Media kit</h2>",
        "Survey report</a>",
        "Previous release",
        older.headline,
    )
    assert html.count("<h1") == 1


def test_release_page_has_time_elements_and_file_facts(client, full_release):
    html = page(client, full_release)
    assert (
        '<bdi>CAIRNS</bdi>, <time datetime="2025-03-13T12:00:00+00:00" dir="ltr">'
        "13 March 2025</time> —" in html
    )
    assert "(PDF, 2.0\xa0KB)" in html


def test_missing_attachment_file_still_renders_the_page(client, full_release):
    attachment = full_release.attachments.get()
    attachment.file.delete(save=False)
    html = page(client, full_release)
    # Type and size were recorded when the file was saved: the page never opens it.
    assert 'Survey report</a> <span class="file-facts" dir="ltr">(PDF, 2.0\xa0KB)</span>' in html


def test_joint_release_shows_each_boilerplate_in_the_issuing_order(client):
    second = OrganizationFactory(name="Alpha Council", boilerplate="Alpha Council advises.")
    first = OrganizationFactory(name="Zeta Foundation", boilerplate="Zeta Foundation funds.")
    release = ReleaseFactory(organizations=[first, second])
    html = page(client, release)
    assert_in_order(
        html,
        "About Zeta Foundation</h2>",
        "Zeta Foundation funds.",
        "About Alpha Council</h2>",
        "Alpha Council advises.",
        "###",
    )
    assert_in_order(html, "Issued by", ">Zeta Foundation</a> and", ">Alpha Council</a>")


def test_contacts_appear_in_the_chosen_order_with_a_tel_link(client):
    zed = ContactFactory(name="Zed Spokes", role="Head of press", phone="+442079460000")
    abe = ContactFactory(name="Abe Answers", phone="+12025550123")
    html = page(client, ReleaseFactory(contacts=[zed, abe]))
    assert_in_order(html, "Zed Spokes", "Head of press", zed.organization.name, "Abe Answers")
    assert '<a href="tel:+44-20-7946-0000" dir="ltr">+44 20 7946 0000</a>' in html
    assert '<a href="tel:+1-202-555-0123" dir="ltr">+1 202-555-0123</a>' in html


def test_contact_email_is_readable_but_not_harvestable(client):
    contact = ContactFactory(name="Kim Press", email="press.office@example.org")
    html = page(client, ReleaseFactory(contacts=[contact]))
    assert "press.office@example.org" not in html
    assert "mailto:" not in html
    assert "press [dot] office [at] example [dot] org" in html
    # The halves travel reversed for contact.js, which is loaded without blocking.
    assert 'data-u="eciffo.sserp" data-d="gro.elpmaxe"' in html
    assert "js/contact.js" in html
    assert " defer>" in html


def test_corrections_read_updated_date_and_note(client):
    release = ReleaseFactory(published_at=NOW - timedelta(days=3))
    Correction.objects.create(release=release, noted_at=NOW, note="Fixed a date.")
    html = page(client, release)
    assert (
        '<strong dir="ltr">Updated <time datetime="2025-03-14T12:00:00+00:00">14 March 2025</time>:'
        "</strong> Fixed a date." in html
    )


def test_release_without_optional_parts_prints_no_empty_sections(client):
    release = ReleaseFactory(subheadline="", author=None, organizations=[], contacts=[])
    html = page(client, release)
    for absent in (
        "<figure",
        "Media contacts",
        "About the author",
        "Tags</h2>",
        "Corrections</h2>",
    ):
        assert absent not in html
    assert "###" in html


def test_previous_and_next_links_skip_releases_that_are_not_public(client):
    at = lambda hours: NOW - timedelta(hours=hours)  # noqa: E731
    older = ReleaseFactory(headline="Older public", published_at=at(10))
    ReleaseFactory(headline="Withdrawn between", published_at=at(9), withdrawn=True)
    ReleaseFactory(
        headline="Embargoed between", published_at=at(8), embargoed_until=NOW + timedelta(days=1)
    )
    ReleaseFactory(headline="Draft between", draft=True)
    current = ReleaseFactory(headline="The current one", published_at=at(7))
    ReleaseFactory(headline="Scheduled later", published_at=NOW + timedelta(days=2))
    newer = ReleaseFactory(headline="Newer public", published_at=at(6))

    html = page(client, current)
    assert f'rel="prev" href="{older.get_absolute_url()}"' in html
    assert f'rel="next" href="{newer.get_absolute_url()}"' in html
    for hidden in ("Withdrawn between", "Embargoed between", "Draft between", "Scheduled later"):
        assert hidden not in html


def test_releases_published_in_the_same_second_still_chain(client):
    first = ReleaseFactory(headline="First of two", published_at=NOW - timedelta(hours=1))
    second = ReleaseFactory(headline="Second of two", published_at=NOW - timedelta(hours=1))
    assert f'rel="next" href="{second.get_absolute_url()}"' in page(client, first)
    assert f'rel="prev" href="{first.get_absolute_url()}"' in page(client, second)


def test_the_only_release_has_no_neighbour_links(client):
    html = page(client, ReleaseFactory())
    assert 'rel="prev"' not in html
    assert 'rel="next"' not in html


def test_withdrawn_release_shows_only_headline_date_and_reason(client):
    release = ReleaseFactory(
        headline="Retracted findings",
        summary="Secret lede",
        body="<p>Secret body</p>",
        published_at=NOW - timedelta(days=5),
        status="withdrawn",
        withdrawn_at=NOW - timedelta(days=1),
        withdrawal_reason="The data set was flawed.",
        organizations=[OrganizationFactory(boilerplate="Secret boilerplate")],
        contacts=[ContactFactory(name="Secret Contact")],
    )
    response = client.get(release.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 410
    assert "<h1>Retracted findings</h1>" in html
    assert '<time datetime="2025-03-13T12:00:00+00:00">13 March 2025</time>' in html
    assert "The data set was flawed." in html
    for secret in ("Secret lede", "Secret body", "Secret boilerplate", "Secret Contact", "###"):
        assert secret not in html


@pytest.mark.parametrize(
    ("traits", "label"),
    [
        ({"draft": True}, "DRAFT"),
        ({"in_review": True}, "IN REVIEW"),
        ({"scheduled": True}, "SCHEDULED"),
        ({"embargoed": True}, "EMBARGOED"),
    ],
)
def test_staff_preview_carries_a_prominent_state_banner(client, traits, label):
    client.force_login(editor())
    html = page(client, ReleaseFactory(**traits))
    assert f'<strong class="preview-state">{label}</strong>' in html
    assert "not public" in html
    assert_in_order(html, 'class="preview-banner"', "<h1>")


def test_public_release_has_no_preview_banner(client):
    assert "preview-banner" not in page(client, ReleaseFactory())


def make_release_with(count: int):
    organizations = [OrganizationFactory() for _ in range(count)]
    release = ReleaseFactory(
        published_at=NOW - timedelta(days=1),
        organizations=organizations,
        contacts=[ContactFactory() for _ in range(count)],
        tags=[f"topic-{n}" for n in range(count)],
    )
    for n in range(count):
        Correction.objects.create(release=release, noted_at=NOW, note=f"Note {n}")
        Attachment.objects.create(release=release, title=f"File {n}", file=f"attachments/f{n}.pdf")
    ReleaseFactory(published_at=NOW - timedelta(days=2))
    ReleaseFactory(published_at=NOW - timedelta(hours=2))
    return release


def count_queries(client, release) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(release.get_absolute_url()).status_code == 200
    return len(queries)


def test_release_page_query_count_is_small_and_does_not_grow(client, django_assert_num_queries):
    small, large = make_release_with(1), make_release_with(5)
    # The release with its author and neighbours; organizations, contacts, tags,
    # corrections and attachments.
    with django_assert_num_queries(6):
        page(client, large)
    assert count_queries(client, small) == count_queries(client, large)


def test_release_page_without_corrections_or_attachments_runs_four_queries(
    client, django_assert_num_queries
):
    release = make_release_with(0)
    with django_assert_num_queries(4):
        html = page(client, release)
    assert "Corrections</h2>" not in html


def test_a_release_with_only_corrections_fetches_no_attachments(client):
    release = ReleaseFactory(published_at=NOW - timedelta(days=1))
    Correction.objects.create(release=release, noted_at=NOW, note="Figures revised")
    assert count_queries(client, release) == 5
    assert "Figures revised" in page(client, release)


def test_neighbour_headlines_keep_their_characters_and_stay_escaped(client):
    older = ReleaseFactory(
        headline="Zürich “quotes” & <b>tags</b>", published_at=NOW - timedelta(hours=3)
    )
    current = ReleaseFactory(published_at=NOW - timedelta(hours=2))
    html = page(client, current)
    assert f'href="{older.get_absolute_url()}"' in html
    assert "Zürich “quotes” &amp; &lt;b&gt;tags&lt;/b&gt;" in html


def test_release_url_round_trips():
    release = ReleaseFactory.build(slug="a-release")
    assert release.get_absolute_url() == reverse("releases:detail", kwargs={"slug": "a-release"})
