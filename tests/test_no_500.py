"""No input gives a 500 (issue 7 §4): names that slugify to nothing, and characters no
database can store, in every parameter of every public URL and in every importer."""

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from taggit.models import Tag

from releases.importers import ReleaseImportError
from releases.importers.ninjs import import_ninjs_file
from releases.importers.structured import import_json_file
from releases.importers.text import import_text_file
from releases.middleware import BAD_CHARACTER
from releases.models import Author, Organization, Release
from releases.views.querystrings import FILTER_KEYS
from tests.factories import AuthorFactory, OrganizationFactory, ReleaseFactory, editor

pytestmark = pytest.mark.django_db

# What releases.urls.TagSlugConverter (and Django's slug converter) accept.
TAG_SLUG = re.compile(r"[-\w]+")
ASCII_SLUG = re.compile(r"[-a-zA-Z0-9_]+")

# Names slugify empties: emoji, punctuation, an ellipsis (NFKC "..."), symbols, dashes.
EMPTY_SLUG_NAMES = ["🚀", "!!!", "…", "🚀🚀", "©®™", "— –", "%", "👩‍💻"]
# Names in scripts beyond ASCII: taggit keeps their letters (slug in that script).
SCRIPT_NAMES = ["新闻", "خبر", "समाचार", "ข่าว", "Ελλάδα", "économie"]


def public_pages(release: Release) -> list[str]:
    """Every public page and API answer that names the release's tags, org and author."""
    tag = release.tags.get()
    organization = release.organizations.get()
    return [
        release.get_absolute_url(),
        reverse("api:release-detail", kwargs={"slug": release.slug}),
        reverse("api:release-list"),
        reverse("api:tag-list"),
        reverse("api:organization-list"),
        reverse("api:organization-detail", kwargs={"slug": organization.slug}),
        reverse("releases:home"),
        reverse("releases:list"),
        reverse("releases:tags"),
        reverse("releases:tag", kwargs={"slug": tag.slug}),
        f"{reverse('releases:list')}?tag={tag.slug}",
        f"{reverse('api:release-list')}?tag={tag.slug}",
        f"{reverse('releases:feed_atom')}?tag={tag.slug}",
        f"{reverse('releases:feed_rss')}?tag={tag.slug}",
        organization.get_absolute_url(),
        release.author.get_absolute_url(),
        reverse("sitemap_section", kwargs={"section": "tags"}),
        reverse("sitemap_section", kwargs={"section": "organizations"}),
        reverse("sitemap_section", kwargs={"section": "authors"}),
    ]


# -- slugs -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", EMPTY_SLUG_NAMES + SCRIPT_NAMES)
def test_every_page_naming_a_tag_org_or_author_answers_200_whatever_the_name(client, name):
    release = ReleaseFactory(
        tags=[name],
        organizations=[OrganizationFactory(name=name, short_name="")],
        author=AuthorFactory(name=name),
    )
    tag = release.tags.get()
    assert TAG_SLUG.fullmatch(tag.slug)
    assert ASCII_SLUG.fullmatch(release.organizations.get().slug)
    assert ASCII_SLUG.fullmatch(release.author.slug)
    for url in public_pages(release):
        response = client.get(url)
        assert response.status_code == 200, url
    sitemap = client.get(reverse("sitemap_section", kwargs={"section": "tags"})).content.decode()
    assert "?tag=<" not in sitemap
    assert "?tag=" not in sitemap or tag.slug in sitemap


def test_tags_that_slugify_to_nothing_get_tag_tag_2_and_so_on():
    Tag.objects.create(name="Tag")  # the fallback's own slug, taken by a real tag
    rocket, bang = Tag.objects.create(name="🚀"), Tag.objects.create(name="!!!")
    assert {rocket.slug, bang.slug} == {"tag-2", "tag-3"}


def test_a_tag_given_through_a_release_gets_a_usable_slug_too():
    release = ReleaseFactory()
    release.tags.add("…", "!!!", "Économie")
    assert sorted(release.tags.values_list("slug", flat=True)) == ["tag", "tag-2", "économie"]


def test_a_tag_slug_emptied_later_is_filled_again():
    tag = Tag.objects.create(name="Energy")
    tag.slug = ""
    tag.save()
    assert tag.slug == "tag"


@pytest.mark.parametrize("name", ["🚀", "!!!", "新闻社"])
def test_organizations_and_authors_get_unique_routable_slugs_whatever_the_name(name):
    # Organization names are unique; each of these slugifies as ``name`` does.
    organizations = [OrganizationFactory(name=name * n, short_name="") for n in (1, 2, 3)]
    authors = [AuthorFactory(name=name) for _ in range(3)]
    for group in (organizations, authors):
        slugs = [item.slug for item in group]
        assert len(set(slugs)) == 3
        assert all(ASCII_SLUG.fullmatch(slug) for slug in slugs)
    assert reverse("releases:organization", kwargs={"slug": organizations[2].slug})


def test_the_migration_gives_existing_unroutable_tag_slugs_a_usable_one():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("releases.migrations.0009_tag_slugs")
    Tag.objects.bulk_create([Tag(name="🚀", slug=""), Tag(name="!!!", slug="a b")])
    Tag.objects.create(name="Tag")
    migration.fill_unroutable_slugs(apps, None)
    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["tag", "tag-2", "tag-3"]


# -- characters no database can store, in requests -------------------------------------

NUL = "%00"
# The contract's filters, the page, and parameters nothing reads.
QUERY_KEYS = [*FILTER_KEYS, "page", "format", "utm_source"]


@pytest.fixture
def newsroom():
    organization = OrganizationFactory(name="Zeta Trust")
    author = AuthorFactory(name="Ada Reporter")
    return ReleaseFactory(
        headline="Clinics open", tags=["Health"], organizations=[organization], author=author
    )


def url_kwargs(release: Release) -> dict[str, dict]:
    """Every named public route, with arguments naming real objects."""
    slug = {"slug": release.slug}
    published = release.published_at
    return {
        "releases:home": {},
        "releases:list": {},
        "releases:archive_year": {"year": published.year},
        "releases:archive_month": {"year": published.year, "month": published.month},
        "releases:detail": slug,
        "releases:download_pdf": slug,
        "releases:download_text": slug,
        "releases:download_ninjs": slug,
        "releases:download_media_kit": slug,
        "releases:organization_contacts": {"slug": release.organizations.get().slug},
        # No such contact (a 404): what real ones answer is tested in tests/test_vcards.py.
        "releases:contact_vcard": {"pk": 1, "slug": "no-such-contact"},
        "releases:tags": {},
        "releases:tag": {"slug": release.tags.get().slug},
        "releases:organization": {"slug": release.organizations.get().slug},
        "releases:author": {"slug": release.author.slug},
        "releases:feed_atom": {},
        "releases:feed_rss": {},
        "releases:corrections": {},
        "releases:feed_corrections": {},
        "healthz": {},
        "readyz": {},
        "robots_txt": {},
        "sitemap": {},
        "sitemap_section": {"section": "tags"},
        "media": {"path": "attachments/none.pdf"},
        "api:root": {},
        "api:schema": {},
        "api:release-list": {},
        "api:release-detail": slug,
        "api:organization-list": {},
        "api:organization-detail": {"slug": release.organizations.get().slug},
        "api:tag-list": {},
        # Embargo and review links (newsroom/sharing): a token no link has; what real links
        # answer is tested in tests/sharing.
        **{
            f"sharing:{kind}_{name}": {"token": "no-such-token", **extra}
            for kind in ("embargo", "review")
            for name, extra in (
                ("page", {}),
                ("pdf", {}),
                ("text", {}),
                ("media_kit", {}),
                ("attachment", {"attachment_id": 1}),
                ("image", {"which": "featured"}),
                ("rendition", {"which": "featured", "filename": "photo.jpg.320w.webp"}),
                ("attachment_image", {"attachment_id": 1, "filename": "map.png"}),
            )
        },
    }


def route_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= route_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return {name for name in names if not name.startswith("admin:")}


def test_the_parametrized_routes_are_all_the_public_routes(newsroom):
    assert set(url_kwargs(newsroom)) >= route_names()


def assert_refused(response, *, api: bool):
    assert response.status_code == 400
    if api:
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": BAD_CHARACTER}
    else:
        assert response["Content-Type"].startswith("text/html")
        assert BAD_CHARACTER in response.content.decode()
        assert "\x00" not in response.content.decode()


@pytest.mark.parametrize("key", QUERY_KEYS)
@pytest.mark.parametrize("value", [NUL, "a%00b", "%00%00", "%C0%80", "%ED%A0%80"])
def test_nul_in_any_query_parameter_of_any_public_url_is_a_400(client, newsroom, key, value):
    for name, kwargs in url_kwargs(newsroom).items():
        url = reverse(name, kwargs=kwargs)
        response = client.get(f"{url}?{key}={value}")
        if value in ("%C0%80", "%ED%A0%80"):
            # Overlong NUL, UTF-8 of a surrogate: invalid UTF-8, which Django decodes as
            # U+FFFD (storable). Never a 500.
            assert response.status_code != 500, url
            continue
        assert_refused(response, api=name.startswith("api:"))


@pytest.mark.parametrize("query", ["%00=1", "tag%00=health", "tag=health&q=%00"])
def test_nul_in_a_query_key_or_beside_a_valid_value_is_a_400(client, newsroom, query):
    for name in ("releases:list", "releases:feed_atom", "api:release-list", "sitemap"):
        response = client.get(f"{reverse(name)}?{query}")
        assert_refused(response, api=name.startswith("api:"))


@pytest.mark.parametrize(
    "path",
    [
        "/releases/%00/",
        "/releases/clinics%00open/",
        "/tags/%00/",
        "/tags/health%00/",
        "/organizations/%00/",
        "/authors/%00/",
        "/releases/2024/%00/",
        "/sitemap-%00.xml",
        "/feeds/releases.atom%00",
        "/media/%00.pdf",
        "/embargo/%00/",
        "/review/abc%00/release.pdf",
        "/api/releases/%00/",
        "/api/organizations/%00/",
        "/%00",
    ],
)
def test_nul_in_a_path_segment_is_a_400(client, newsroom, path):
    assert_refused(client.get(path), api=path.startswith("/api/"))


def test_the_feed_with_a_nul_tag_is_a_400_not_a_database_error(client, newsroom):
    assert client.get("/feeds/releases.atom?tag=%00").status_code == 400


def test_nul_in_admin_query_strings_and_form_fields_is_a_400(client, newsroom):
    client.force_login(editor())
    changelist = reverse("admin:releases_release_changelist")
    assert client.get(changelist, {"q": "clinics"}).status_code == 200
    assert_refused(client.get(f"{changelist}?q=%00"), api=False)
    assert_refused(client.get(f"{changelist}?status__exact=%00"), api=False)
    add = reverse("admin:releases_organization_add")
    response = client.post(add, {"name": "Evil\x00 Corp", "short_name": "E"})
    assert_refused(response, api=False)
    response = client.post(
        reverse("admin:releases_release_add"), {"headline": "A", "author": "1\x00"}
    )
    assert_refused(response, api=False)
    assert not Organization.objects.filter(name__startswith="Evil").exists()


def test_nul_in_the_login_form_is_a_400(client):
    response = client.post(reverse("admin:login"), {"username": "a\x00", "password": "x"})
    assert_refused(response, api=False)


def test_a_valid_request_still_passes(client, newsroom):
    assert client.get(reverse("releases:list"), {"q": "clinics", "tag": "health"}).status_code
    assert client.get(f"{reverse('api:release-list')}?q=%E2%82%AC").status_code == 200


# -- characters no database can store, in imports --------------------------------------


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


JSON_CASES = [
    ({"headline": "Clinics\u0000 open"}, "headline"),
    ({"headline": "Clinics \ud800 open"}, "headline"),
    ({"summary": "\udfff"}, "summary"),
    ({"body": "<p>\u0000</p>"}, "body"),
    ({"organizations": [{"name": "Zeta"}, {"name": "Alpha\u0000"}]}, "organizations[1].name"),
    ({"author": {"name": "Ada", "bio": "\u0000"}}, "author.bio"),
    ({"contacts": [{"name": "Jane", "email": "a@b.org\u0000"}]}, "contacts[0].email"),
    ({"tags": ["Health", "\u0000"]}, "tags[1]"),
    ({"slug": "clinics\u0000"}, "slug"),
    ({"extra\u0000": "x"}, "extra\u0000"),
]


def base_item(**overrides) -> dict:
    item = {
        "slug": "clinics-open",
        "headline": "Clinics open",
        "status": "draft",
        "tags": ["Health"],
        "organizations": [{"name": "Zeta Trust"}],
    }
    item.update(overrides)
    return item


@pytest.mark.parametrize(("overrides", "field"), JSON_CASES)
def test_json_import_refuses_unstorable_text_naming_file_line_and_field(tmp_path, overrides, field):
    # The second item is the bad one: the first must not stay half-imported.
    items = [base_item(slug="fine-one", headline="Fine"), base_item(**overrides)]
    path = write(tmp_path, "releases.ndjson", "\n".join(json.dumps(item) for item in items))
    with pytest.raises(ReleaseImportError) as raised:
        import_json_file(path)
    error = raised.value
    assert error.path == str(path)
    assert error.field == field
    assert error.line == 2
    assert "cannot be stored" in str(error)
    assert not Release.objects.exists()
    assert not Organization.objects.exists()
    assert not Author.objects.exists()
    assert not Tag.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"headlines": [{"role": "main", "value": "Clinics\u0000"}]}, "headlines[0].value"),
        ({"descriptions": [{"role": "summary", "value": "\ud83d"}]}, "descriptions[0].value"),
        ({"subjects": [{"name": "\u0000"}]}, "subjects[0].name"),
    ],
)
def test_ninjs_import_refuses_unstorable_text_naming_the_ninjs_field(tmp_path, overrides, field):
    item = {
        "uri": "urn:example:1",
        "type": "text",
        "pubStatus": "withheld",
        "headlines": [{"role": "main", "value": "Clinics open"}],
        **overrides,
    }
    path = write(tmp_path, "items.json", json.dumps(item))
    with pytest.raises(ReleaseImportError) as raised:
        import_ninjs_file(path)
    assert (raised.value.path, raised.value.field, raised.value.line) == (str(path), field, 1)
    assert not Release.objects.exists()


def test_text_import_refuses_nul(tmp_path):
    path = tmp_path / "release.txt"
    path.write_bytes(b"Clinics open\n\nA body.\x00\n")
    with pytest.raises(ReleaseImportError) as raised:
        import_text_file(path)
    assert raised.value.line == 3
    assert not Release.objects.exists()


def test_the_import_command_reports_the_file_and_field_without_a_traceback(tmp_path):
    path = write(tmp_path, "bad.json", json.dumps(base_item(headline="A\u0000B")))
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_releases", str(path), "--format", "json", stderr=stderr)
    assert f'{path}, line 1, field "headline": ' in stderr.getvalue()
    assert "Traceback" not in stderr.getvalue()
    assert not Release.objects.exists()
