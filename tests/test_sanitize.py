"""Release bodies are cleaned once, on save, so every page may trust them."""

import pytest

from releases.models import Release
from releases.sanitize import sanitize_html
from tests.factories import ReleaseFactory

pytestmark = pytest.mark.django_db


def _saved_body(body: str) -> str:
    release = ReleaseFactory(body=body)
    return Release.objects.values_list("body", flat=True).get(pk=release.pk)


@pytest.mark.parametrize(
    ("dirty", "gone", "kept"),
    [
        ("<p>Hello</p><script>alert('x')</script>", ["<script", "alert"], "Hello"),
        (
            "<p>Hello</p><SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
            ["script", "evil"],
            "Hello",
        ),
        ("<p>Hello</p><style>body{display:none}</style>", ["<style", "display"], "Hello"),
        ('<p onclick="steal()">Hello</p>', ["onclick", "steal"], "Hello"),
        (
            '<img src="https://example.org/a.png" alt="A" onerror="steal()">',
            ["onerror", "steal"],
            'alt="A"',
        ),
        ('<a href="javascript:steal()">Hello</a>', ["javascript", "steal"], "Hello"),
        ('<a href="JaVaScRiPt:steal()">Hello</a>', ["javascript", "steal"], "Hello"),
        ('<a href=" javascript:steal()">Hello</a>', ["javascript", "steal"], "Hello"),
        ('<img src="javascript:steal()" alt="A">', ["javascript", "steal"], 'alt="A"'),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">Hello</a>', ["data:", "base64"], "Hello"),
        ('<iframe src="https://evil.example/"></iframe><p>Hello</p>', ["iframe", "evil"], "Hello"),
        ('<p style="position:fixed">Hello</p>', ["style", "fixed"], "Hello"),
    ],
)
def test_unsafe_markup_is_removed_on_save_and_the_text_kept(dirty, gone, kept):
    body = _saved_body(dirty)

    for fragment in gone:
        assert fragment not in body.lower()
    assert kept in body


def test_allowed_markup_is_kept_on_save():
    body = _saved_body(
        "<p>Lede with <strong>strong</strong> and <em>emphasis</em>.</p>"
        '<blockquote cite="https://example.org/q"><p>A quote.</p></blockquote>'
        "<ul><li>One</li><li>Two</li></ul>"
        '<p><a href="https://example.org/report">The report</a></p>'
        '<img src="https://example.org/chart.png" alt="A rising chart">'
    )

    assert "<p>Lede with <strong>strong</strong> and <em>emphasis</em>.</p>" in body
    assert '<blockquote cite="https://example.org/q"><p>A quote.</p></blockquote>' in body
    assert "<ul><li>One</li><li>Two</li></ul>" in body
    assert 'href="https://example.org/report"' in body
    assert ">The report</a>" in body
    assert '<img src="https://example.org/chart.png" alt="A rising chart">' in body


def test_links_open_without_giving_the_target_a_handle_on_the_page():
    body = _saved_body('<a href="https://example.org/" target="_blank">Site</a>')

    assert 'rel="noopener noreferrer"' in body
    assert "target" not in body


def test_mail_and_phone_links_are_kept():
    body = _saved_body('<a href="mailto:press@example.org">Mail</a> <a href="tel:+442079460000">')

    assert 'href="mailto:press@example.org"' in body
    assert 'href="tel:+442079460000"' in body


def test_body_is_cleaned_again_when_an_existing_release_is_edited():
    release = ReleaseFactory(body="<p>Clean.</p>")
    release.body = "<p>Edited.</p><script>alert(1)</script>"
    release.save()

    release.refresh_from_db()
    assert release.body == "<p>Edited.</p>"


def test_sanitizing_is_stable_so_saving_twice_changes_nothing():
    release = ReleaseFactory(body='<p>A <a href="https://example.org/">link</a>.</p>')
    first = Release.objects.get(pk=release.pk).body
    release.save()

    assert Release.objects.get(pk=release.pk).body == first == sanitize_html(first)


def test_empty_body_stays_empty():
    assert _saved_body("") == ""
    assert sanitize_html(None) == ""
