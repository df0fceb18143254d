"""Rich text (issue 9, writing): plain text given structure on the server, the same
cleaning for body, boilerplate and bio, images only from the release's own uploads, and
the length of a body as an editor sees it."""

from __future__ import annotations

import importlib
import io
import json
import re

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from releases.models import Attachment, Author, Organization, Release
from releases.richtext import (
    WORDS_PER_MINUTE,
    has_html_tags,
    keep_own_images,
    length_note,
    plain_text,
    plain_text_to_html,
    reading_time,
    word_count,
)
from releases.sanitize import clean_rich_text
from tests.factories import AuthorFactory, OrganizationFactory, ReleaseFactory
from tests.test_admin import ADD, change_url, release_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (20, 90, 160)).save(buffer, format="JPEG")
    return buffer.getvalue()


# -- plain text to HTML -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("One paragraph.", "<p>One paragraph.</p>"),
        ("First.\n\nSecond.", "<p>First.</p><p>Second.</p>"),
        ("First.\nSecond.\r\nThird.", "<p>First.</p><p>Second.</p><p>Third.</p>"),
        (
            "- milk\n-- eggs\n* flour\n• salt",
            "<ul><li>milk</li><li>eggs</li><li>flour</li><li>salt</li></ul>",
        ),
        ("1. one\n2) two\n\n3. three", "<ol><li>one</li><li>two</li><li>three</li></ol>"),
        (
            "Steps:\n1. plan\n- aside\nDone.",
            "<p>Steps:</p><ol><li>plan</li></ol><ul><li>aside</li></ul><p>Done.</p>",
        ),
        ("-5 degrees overnight", "<p>-5 degrees overnight</p>"),
        ("2024 was a good year", "<p>2024 was a good year</p>"),
        (
            "Read https://example.org/report.",
            '<p>Read <a href="https://example.org/report">https://example.org/report</a>.</p>',
        ),
        (
            "(see www.example.org/a_(b))",
            '<p>(see <a href="https://www.example.org/a_(b)">www.example.org/a_(b)</a>)</p>',
        ),
        ("a < b & c > d", "<p>a &lt; b &amp; c &gt; d</p>"),
        ("  \n\n ", ""),
    ],
)
def test_plain_text_becomes_paragraphs_lists_and_links(text, html):
    assert plain_text_to_html(text) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (
            "Works:\n- pipes\n  - lead\n  - copper\n- filters",
            "<p>Works:</p><ul><li>pipes<ul><li>lead</li><li>copper</li></ul></li>"
            "<li>filters</li></ul>",
        ),
        # A tab nests as well as spaces; one space does not.
        (
            "- pipes\n\t- lead\n- filters",
            "<ul><li>pipes<ul><li>lead</li></ul></li><li>filters</li></ul>",
        ),
        ("- pipes\n - lead", "<ul><li>pipes</li><li>lead</li></ul>"),
        # Three levels, then back to the first.
        (
            "- a\n  - b\n    - c\n- d",
            "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d</li></ul>",
        ),
        # A nested list keeps its own kind, and a list of the other kind beside it.
        (
            "1. test\n  - every tap\n  2. again\n3. publish",
            "<ol><li>test<ul><li>every tap</li></ul><ol><li>again</li></ol></li>"
            "<li>publish</li></ol>",
        ),
        # Less indented than its list but still under the parent item: a sibling.
        ("- a\n    - b\n  - c", "<ul><li>a<ul><li>b</li><li>c</li></ul></li></ul>"),
        # Blank lines inside keep the list; a paragraph ends every level.
        (
            "- a\n  - b\n\n  - c\nBetween.\n  - d",
            "<ul><li>a<ul><li>b</li><li>c</li></ul></li></ul><p>Between.</p><ul><li>d</li></ul>",
        ),
        # An indented first item has nothing to nest in.
        ("  - a\n  - b", "<ul><li>a</li><li>b</li></ul>"),
        (
            "- <b> & www.example.org\n  - x < y",
            '<ul><li>&lt;b&gt; &amp; <a href="https://www.example.org">www.example.org</a>'
            "<ul><li>x &lt; y</li></ul></li></ul>",
        ),
    ],
)
def test_indented_list_lines_nest_in_the_item_above(text, html):
    assert plain_text_to_html(text) == html


def test_nested_plain_text_lists_survive_sanitizing():
    assert clean_rich_text("- pipes\n  1. lead\n- filters") == (
        "<ul><li>pipes<ol><li>lead</li></ol></li><li>filters</li></ul>"
    )


def test_a_url_ends_at_a_quote_so_it_cannot_leave_its_attribute():
    html = plain_text_to_html('See http://example.org/a"onmouseover="x')
    assert (
        html == '<p>See <a href="http://example.org/a">http://example.org/a</a>"onmouseover="x</p>'
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<p>Hi</p>", True),
        ("Hi<br/>there", True),
        ("Hi <!-- note -->", True),
        ("</em>", True),
        ("a < b and c > d", False),
        ("I <3 water", False),
        ("Write to <your name> at <press office>", False),
        ("<SCRIPT>x</SCRIPT>", True),
        ('<span style="x">', True),
        ("plain", False),
        ("", False),
    ],
)
def test_html_is_told_from_plain_text_by_its_tags(text, expected):
    assert has_html_tags(text) is expected


def test_clean_rich_text_structures_plain_text_sanitizes_html_and_is_idempotent():
    assert clean_rich_text("Hello\n- a\n- b") == "<p>Hello</p><ul><li>a</li><li>b</li></ul>"
    dirty = '<p style="color:red" onclick="x()">Hi <script>alert(1)</script></p>'
    assert clean_rich_text(dirty) == "<p>Hi </p>"
    stored = clean_rich_text("Visit https://example.org & more\n\n1. one")
    assert clean_rich_text(stored) == stored
    assert clean_rich_text("") == ""
    tagless = clean_rich_text("<font>A &amp; B</font>")
    assert tagless == "<p>A &amp; B</p>"
    assert clean_rich_text(tagless) == tagless
    assert (
        clean_rich_text("Call <press office> & ask") == "<p>Call &lt;press office&gt; &amp; ask</p>"
    )


# -- images ----------------------------------------------------------------------------


def test_only_images_from_the_given_urls_are_kept():
    html = clean_rich_text(
        '<p>a<img src="/media/r/photo.jpg" alt="Ours"></p>'
        '<p><img src="https://elsewhere.example/x.png" alt="Theirs">b</p>'
        '<img alt="a&quot;&gt; src=/media/r/photo.jpg" src="https://t.example/pixel.gif">'
    )
    kept = keep_own_images(html, {"/media/r/photo.jpg"})
    assert kept == '<p>a<img src="/media/r/photo.jpg" alt="Ours"></p><p>b</p>'
    assert keep_own_images(html, set()) == "<p>a</p><p>b</p>"


def test_the_release_form_keeps_its_own_images_and_drops_typed_addresses(editor_client):
    release = ReleaseFactory(draft=True, featured_image_alt="Workers at the plant")
    release.featured_image.save("plant.jpg", ContentFile(jpeg()))
    photo = Attachment(release=release, title="The new filters", position=0)
    photo.file.save("filters.jpg", ContentFile(jpeg()), save=True)
    featured, attachment = release.featured_image.url, photo.file.url
    body = (
        f'<p>Plant</p><img src="{featured}" alt="Workers"><img src="{attachment}" alt="Filters">'
        '<img src="https://elsewhere.example/hotlink.jpg" alt="Not ours">'
        '<img src="/media/releases/another-release/photo.jpg" alt="Not this release">'
    )
    data = release_form_data(release, body=body, edit_version=release.edit_version)
    response = editor_client.post(change_url(release), data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    release.refresh_from_db()
    assert release.body == (
        f'<p>Plant</p><img src="{featured}" alt="Workers"><img src="{attachment}" alt="Filters">'
    )


def test_the_image_picker_offers_the_featured_image_and_image_attachments_only(editor_client):
    release = ReleaseFactory(draft=True, featured_image_alt="Workers at the plant")
    release.featured_image.save("plant.jpg", ContentFile(jpeg()))
    photo = Attachment(release=release, title="The new filters", position=0)
    photo.file.save("filters.jpg", ContentFile(jpeg()), save=True)
    sheet = Attachment(release=release, title="Fact sheet", position=1)
    sheet.file.save("facts.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)

    html = editor_client.get(change_url(release)).content.decode()
    config = json.loads(
        re.search(r'data-django-prose-editor-configurable="([^"]*)"', html)
        .group(1)
        .replace("&quot;", '"')
        .replace("&amp;", "&")
    )
    images = config["extensions"]["NewsroomImages"]["images"]
    assert images == [
        {
            "src": release.featured_image.url,
            "alt": "Workers at the plant",
            "title": "Featured image: Workers at the plant",
        },
        {"src": photo.file.url, "alt": "The new filters", "title": "The new filters"},
    ]
    assert "/static/admin/prose-images.js" in config["js_modules"]


def test_the_add_form_says_images_come_after_the_first_save(editor_client):
    html = editor_client.get(ADD).content.decode()
    assert "Images can be added after the first save" in html
    assert "/static/admin/prose-paste.js" in html


# -- the form without JavaScript ----------------------------------------------------------


def test_plain_text_posted_to_the_release_form_gets_structure(editor_client):
    data = release_form_data(
        body="The council opened the library today.\n\nIt offers:\n- books\n- a café\n\n"
        "Details at https://council.example.org/library."
    )
    response = editor_client.post(ADD, data)
    assert response.status_code == 302

    assert Release.objects.get().body == (
        "<p>The council opened the library today.</p><p>It offers:</p>"
        "<ul><li>books</li><li>a café</li></ul>"
        '<p>Details at <a href="https://council.example.org/library" '
        'rel="noopener noreferrer">https://council.example.org/library</a>.</p>'
    )


def test_html_posted_to_the_release_form_is_sanitized_as_before(editor_client):
    data = release_form_data(body='<h2 style="color:red">Hi</h2><script>x()</script><p>Text</p>')
    assert editor_client.post(ADD, data).status_code == 302
    assert Release.objects.get().body == "<h2>Hi</h2><p>Text</p>"


def test_the_body_field_is_a_textarea_that_works_without_javascript(editor_client):
    html = editor_client.get(ADD).content.decode()
    assert re.search(r'<textarea name="body"[^>]*data-django-prose-editor-configurable', html)


# -- boilerplate and bio -------------------------------------------------------------------


def test_boilerplate_and_bio_are_structured_and_sanitized_on_every_save():
    organization = OrganizationFactory(boilerplate="Founded 1901.\n\nWe run:\n- water\n- parks")
    author = AuthorFactory(bio='<p onclick="x()">Ola <em>covers</em> water.</p><script>1</script>')
    organization.refresh_from_db()
    author.refresh_from_db()
    assert organization.boilerplate == (
        "<p>Founded 1901.</p><p>We run:</p><ul><li>water</li><li>parks</li></ul>"
    )
    assert author.bio == "<p>Ola <em>covers</em> water.</p>"


def test_organization_and_author_forms_use_the_prose_editor(editor_client):
    for model in ("organization", "author"):
        html = editor_client.get(reverse(f"admin:releases_{model}_add")).content.decode()
        assert "data-django-prose-editor-configurable" in html
        assert "prose-images.js" not in html  # images belong to release bodies only


def test_the_organization_page_prints_its_boilerplate_as_html_and_describes_it_as_text(client):
    organization = OrganizationFactory(name="Harbour Board", boilerplate="Clean & safe.\n- pipes")
    ReleaseFactory(organizations=[organization])
    html = client.get(organization.get_absolute_url()).content.decode()
    assert "<p>Clean &amp; safe.</p><ul><li>pipes</li></ul>" in html
    assert '<meta name="description" content="Clean &amp; safe. pipes">' in html


def test_the_text_download_writes_boilerplate_and_bio_as_paragraphs(client):
    organization = OrganizationFactory(name="Harbour Board", boilerplate="First.\n\nSecond.")
    author = AuthorFactory(bio="Ola covers water.")
    release = ReleaseFactory(organizations=[organization], author=author)
    text = client.get(reverse("releases:download_text", args=[release.slug])).content.decode()
    assert "About Harbour Board\n\nFirst.\n\nSecond." in text
    assert "Ola covers water." in text
    assert "<p>" not in text


def test_the_migration_turns_stored_plain_text_into_html():
    organization = OrganizationFactory()
    author = AuthorFactory()
    # As stored before this change (plain text, written past save()).
    Organization.objects.filter(pk=organization.pk).update(boilerplate="About us.\nMore & more.")
    Author.objects.filter(pk=author.pk).update(bio="<p>Already HTML</p>")
    migration = importlib.import_module("releases.migrations.0014_rich_text")
    migration.plain_text_to_rich_text(apps, None)
    organization.refresh_from_db()
    author.refresh_from_db()
    assert organization.boilerplate == "<p>About us.</p><p>More &amp; more.</p>"
    assert author.bio == "<p>Already HTML</p>"


# -- length ------------------------------------------------------------------------------


def test_words_are_counted_in_the_text_not_the_markup():
    html = "<h2>Clean water</h2><p>It&#39;s here &amp; now.</p><ul><li>one</li><li>two</li></ul>"
    assert word_count(html) == 7  # Clean water It's here now one two
    assert plain_text(html) == "Clean water It's here & now. one two"
    assert word_count("<p>a—b – c, see https://example.org/a.</p>") == 4


def test_reading_time_rounds_up_to_whole_minutes():
    assert WORDS_PER_MINUTE == 220
    assert reading_time(0) == 0
    assert reading_time(1) == 1
    assert reading_time(220) == 1
    assert reading_time(221) == 2
    assert length_note("<p>" + "word " * 412 + "</p>") == "412 words · about 2 min read"
    assert length_note("<p>One</p>") == "1 word · about 1 min read"
    assert length_note("") == "No words yet"


def test_the_change_form_shows_the_length_of_the_body_without_javascript(editor_client):
    release = ReleaseFactory(draft=True, body="<p>" + "news " * 450 + "</p>")
    html = editor_client.get(change_url(release)).content.decode()
    assert re.search(
        r'<p class="prose-count help" data-prose-count-for="id_body" aria-live="polite">'
        r"450 words · about 3 min read</p>",
        html,
    )
