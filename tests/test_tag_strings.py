"""Tag fields: a quote inside a tag is written "" (as in CSV), and what the form shows
reads back as the same tags (releases.tag_strings, taggit's string hooks)."""

import html
import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from taggit.forms import TagField
from taggit.models import Tag
from taggit.utils import edit_string_for_tags, parse_tags

from releases.models import Release
from tests.test_admin import ADD, change_url, release_form_data


@pytest.mark.parametrize(
    ("typed", "tags"),
    [
        ('"Say ""hi"""', ['Say "hi"']),
        ('"Say ""hi""", news', ['Say "hi"', "news"]),
        ('news, "Say ""hi"""', ['Say "hi"', "news"]),
        ('""""', ['"']),
        ('"a, b", c', ["a, b", "c"]),
        ('"New York" London', ["London", "New York"]),
        ('"New York", London Bridge', ["London Bridge", "New York"]),
        ('5" screen', ['5"', "screen"]),
        ('O"Brien, press', ['O"Brien', "press"]),
        ("libraries, culture", ["culture", "libraries"]),
        ("libraries culture", ["culture", "libraries"]),
        ("  , ,news,, ", ["news"]),
        ('""', []),
        ("", []),
    ],
)
def test_the_tag_field_reads_doubled_quotes_commas_and_spaces(typed, tags):
    assert parse_tags(typed) == tags


@pytest.mark.parametrize("typed", ['"Say hi', 'news, "unclosed, tag', '"Say ""hi""'])
def test_an_unclosed_quote_is_a_form_error_naming_it(typed):
    with pytest.raises(ValidationError) as caught:
        TagField().clean(typed)

    (message,) = caught.value.messages
    assert "never closed" in message
    assert typed[typed.index('"') :][:10] in message


class _Tag:
    def __init__(self, name):
        self.name = name


@pytest.mark.parametrize(
    "names",
    [['Say "hi"'], ["a, b", "c"], ['"', "x"], ["New York"], ["tab\there"], ["news"]],
)
def test_the_text_shown_reads_back_as_the_same_tags(names):
    assert parse_tags(edit_string_for_tags([_Tag(n) for n in names])) == sorted(names)


names = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1).map(
    str.strip
)


@given(st.lists(names.filter(bool), min_size=1, max_size=5, unique=True))
def test_any_tag_names_round_trip_through_the_form_text(tag_names):
    assert parse_tags(edit_string_for_tags([_Tag(n) for n in tag_names])) == sorted(tag_names)


@pytest.mark.django_db
def test_the_admin_release_form_keeps_a_quoted_tag_as_one_and_shows_it_back(editor_client):
    response = editor_client.post(ADD, release_form_data(tags='"Say ""hi""", news'))

    assert response.status_code == 302, response.context["adminform"].form.errors
    release = Release.objects.get(headline="Council opens new library")
    assert sorted(release.tags.names()) == ['Say "hi"', "news"]
    # The tag box (releases.widgets.TagPicker) shows each tag as one option, by name.
    page = editor_client.get(change_url(release)).content.decode()
    shown = [html.unescape(name) for name in re.findall(r'<option value="([^"]*)"', page)]
    assert 'Say "hi"' in shown and "news" in shown

    data = release_form_data(release, tags="")
    data["tags_picked"] = ['Say "hi"', "news"]
    response = editor_client.post(change_url(release), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert sorted(release.tags.names()) == ['Say "hi"', "news"]
    assert Tag.objects.count() == 2


@pytest.mark.django_db
def test_the_admin_release_form_refuses_an_unclosed_quote_and_says_why(editor_client):
    response = editor_client.post(ADD, release_form_data(tags='news, "Say hi'))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["tags"]
    assert "never closed" in errors[0]
    assert not Release.objects.exists()
