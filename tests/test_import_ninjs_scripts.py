"""Slugs from any script (``releases.slugs``, anyascii) for releases, authors and
organizations, and the identity of an item without a uri on a second import."""

import pytest

from releases.importers.ninjs import import_ninjs_file
from releases.models import Author, Organization, Release
from releases.slugs import ascii_slug, is_transliterated
from tests.factories import AuthorFactory
from tests.test_import_ninjs import item, write

pytestmark = pytest.mark.django_db

# The tester's inputs (tmp/break_ninjs/inputs 05, 06, 24), as they were sent.
CYRILLIC = {
    "uri": "urn:tass.example:1",
    "type": "text",
    "versionCreated": "2025-04-05T08:00:00Z",
    "headlines": [{"role": "main", "value": "Москва открыла новый мост"}],
    "slugline": "Москва-мост",
    "bodies": [{"role": "main", "contentType": "text/html", "value": "<p>Текст.</p>"}],
}
CJK = {
    "uri": "urn:xinhua.example:2",
    "type": "text",
    "versionCreated": "2025-04-06T08:00:00Z",
    "headlines": [{"role": "main", "value": "北京新机场开通"}],
    "slugline": "北京-机场",
    "bodies": [{"role": "main", "contentType": "text/plain", "value": "第一段。\n\n第二段。"}],
}
CYRILLIC_NO_URI = {
    "versionCreated": "2025-05-02T08:00:00Z",
    "headlines": [{"role": "main", "value": "Новый мост"}],
}


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Москва", "moskva"),
        ("Αθήνα: νέα γέφυρα", "athina-nea-gefyra"),
        ("北京新机场开通", "bei-jing-xin-ji-chang-kai-tong"),
        ("القاهرة", "lqhrh"),
        ("서울 시청", "seoul-sicheong"),
        ("नई दिल्ली", "ni-dilli"),
        ("Förderung", "forderung"),
        ("Fähre ø ß Łódź Þór", "fahre-o-ss-lodz-thor"),
        ("🚀 Launch ©", "launch"),
        ("« — »", ""),
    ],
)
def test_ascii_slug_spells_every_script_in_latin_letters(text, slug):
    assert ascii_slug(text, 190) == slug


def test_only_other_scripts_than_latin_count_as_transliterated():
    assert is_transliterated("Москва") and is_transliterated("Ferry 渡轮")
    assert not is_transliterated("Förderung Łódź ß") and not is_transliterated("« — »")


@pytest.mark.parametrize(
    ("data", "slug"),
    [
        (CYRILLIC, "moskva-most"),
        (CJK, "bei-jing-ji-chang"),
        (item(uri="urn:g:1", headlines=[{"role": "main", "value": "Νέα γέφυρα"}]), "nea-gefyra"),
        (item(uri="urn:a:1", headlines=[{"role": "main", "value": "جسر جديد"}]), "jsr-jdyd"),
    ],
)
def test_a_non_latin_slugline_or_headline_gives_a_meaningful_slug(tmp_path, client, data, slug):
    (release,) = import_ninjs_file(write(tmp_path, "item.json", data)).created

    assert release.slug == slug
    assert any(f"the slug “{slug}” spells" in w for w in release.import_warnings)
    assert client.get(release.get_absolute_url()).status_code == 200


def test_a_latin_headline_gives_no_transliteration_warning(tmp_path):
    data = item(headlines=[{"role": "main", "value": "Förderung für den Hafen"}])

    (release,) = import_ninjs_file(write(tmp_path, "de.json", data)).created

    assert release.slug == "forderung-fur-den-hafen"
    assert not any("Latin letters" in w for w in release.import_warnings)


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Анна Иванова", "anna-ivanova"), ("李明", "li-ming"), ("Γιώργος Παπάς", "giorgos-papas")],
)
def test_an_author_with_a_non_latin_name_gets_a_meaningful_slug(tmp_path, client, name, slug):
    data = item(people=[{"name": name, "rel": "author", "uri": f"urn:p:{slug}"}])

    (release,) = import_ninjs_file(write(tmp_path, "a.json", data)).created

    assert release.author.slug == slug
    assert AuthorFactory(name=name).slug == f"{slug}-2"


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Газпром", "gazprom"), ("東京電力", "dong-jing-dian-li"), ("وزارة الصحة", "wzrh-lshh")],
)
def test_an_organization_with_a_non_latin_name_gets_a_meaningful_slug(tmp_path, name, slug):
    data = item(organisations=[{"name": name, "rel": "issuer"}])

    (release,) = import_ninjs_file(write(tmp_path, "o.json", data)).created

    assert release.organizations.get().slug == slug
    # Names are unique; another spelling of the same letters is another organization.
    assert Organization.objects.create(name=f"{name}!").slug == f"{slug}-2"


def test_a_name_without_letters_still_gets_a_slug():
    assert Author.objects.create(name="— ✳ —").slug == "item"
    assert Organization.objects.create(name="★").slug == "item"


def test_the_same_item_without_a_uri_imported_twice_is_one_release(tmp_path):
    path = write(tmp_path, "24.json", CYRILLIC_NO_URI)

    (release,) = import_ninjs_file(path).created
    again = import_ninjs_file(path)

    assert release.slug == "novyy-most"
    assert again.created == [] and again.unchanged == [release]
    assert Release.objects.count() == 1


def test_an_item_without_a_uri_whose_slug_was_numbered_is_found_again(tmp_path):
    # Another item (with a uri) holds "novyy-most": the slug rule alone found nothing.
    taken = item(uri="urn:other:1", headlines=[{"role": "main", "value": "Новый мост"}])
    import_ninjs_file(write(tmp_path, "taken.json", taken))
    path = write(tmp_path, "24.json", CYRILLIC_NO_URI)

    (release,) = import_ninjs_file(path).created
    again = import_ninjs_file(path)

    assert release.slug == "novyy-most-2"
    assert again.created == [] and again.unchanged == [release]
    assert Release.objects.count() == 2
    assert Release.objects.get(ninjs_uri="urn:other:1").slug == "novyy-most"


def test_items_without_a_uri_in_one_array_are_each_found_again(tmp_path):
    items = [
        {**CYRILLIC_NO_URI, "bodies": [{"role": "main", "value": "<p>Один.</p>"}]},
        {**CYRILLIC_NO_URI, "headlines": [{"role": "main", "value": "Νέα γέφυρα"}]},
        {**CYRILLIC_NO_URI, "headlines": [{"role": "main", "value": "新桥"}]},
    ]
    path = write(tmp_path, "many.json", items)

    first = import_ninjs_file(path)
    again = import_ninjs_file(path)

    assert [r.slug for r in first.created] == ["novyy-most", "nea-gefyra", "xin-qiao"]
    assert again.created == [] and len(again.unchanged) == 3
    assert Release.objects.count() == 3


def test_a_corrected_item_without_a_uri_updates_the_release_of_its_slug(tmp_path):
    (release,) = import_ninjs_file(write(tmp_path, "v1.json", CYRILLIC_NO_URI)).created
    corrected = {**CYRILLIC_NO_URI, "bodies": [{"role": "main", "value": "<p>Исправлено.</p>"}]}

    result = import_ninjs_file(write(tmp_path, "v2.json", corrected))

    assert result.updated == [release] and Release.objects.count() == 1
    assert Release.objects.get().body == "<p>Исправлено.</p>"
