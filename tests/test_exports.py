"""The export formats: each opens in its standard reader and carries the whole release;
exports stream with a query count that grows per chunk, never per release."""

import csv
import hashlib
import io
import json
from datetime import UTC, datetime, timedelta

import feedparser
import jsonschema
import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from releases.exports.columns import HEADER
from releases.exports.files import LinkedFiles
from releases.exports.ninjs import release_to_ninjs
from releases.exports.reading import read_for_export
from releases.exports.serialize import RELEASE_KEYS, release_to_dict
from releases.exports.stream import FORMATS, export_chunks
from releases.models import Correction, Release, Status
from tests.factories import (
    AuthorFactory,
    ContactFactory,
    OrganizationFactory,
    ReleaseFactory,
    image_bytes,
)
from tests.standards import NINJS_SCHEMA_3_1

pytestmark = pytest.mark.django_db

BASE_URL = "https://news.example.org"
NINJS_SCHEMA = json.loads(NINJS_SCHEMA_3_1.read_text())
MARCH = datetime(2024, 3, 12, 9, 30, tzinfo=UTC)
APRIL = datetime(2024, 4, 2, 15, 0, 0, 250000, tzinfo=UTC)


def build_newsroom() -> dict[str, Release]:
    """Releases in every state, with everything a release can carry.

    Two issuers in a deliberate (not alphabetical) order, contacts of an issuer, of an
    organization that does not issue and of none, tags, corrections, an embargo, a
    featured image, text that needs escaping in every format.
    """
    now = timezone.now()
    zeta = OrganizationFactory(
        name="Zeta Health Trust",
        short_name="ZHT",
        boilerplate="Zeta Health Trust funds clinics. “Quoted” & <escaped>.",
        location="Geneva, Switzerland",
    )
    alpha = OrganizationFactory(name="Alpha Foundation", short_name="", website="", location="")
    press_agency = OrganizationFactory(name="Press Agency Ltd", short_name="PAL")
    author = AuthorFactory(name="Ada Reporter", bio="Ada covers public health.")
    jane = ContactFactory(
        name="Jane Roe", role="Head of press", organization=zeta, phone="+41227912222"
    )
    omar = ContactFactory(name="Omar Diallo", role="", organization=press_agency, phone="")
    solo = ContactFactory(
        name="Sam Solo", role="Freelance", organization=None, email="", phone="+442079460000"
    )
    releases = {
        "public": ReleaseFactory(
            headline="Clinics open in 12 districts — “a first”",
            subheadline="Zeta & Alpha: <joint> work",
            dateline="Geneva",
            summary="Twelve clinics open; = not a formula.",
            body=(
                '<p>First <strong>paragraph</strong> with a <a href="https://example.org/">'
                "link</a>.</p>\n<ul><li>One</li><li>Two</li></ul>\n<p>Ünïcödé ✓</p>"
            ),
            published_at=MARCH,
            author=author,
            organizations=[zeta, alpha],
            contacts=[omar, jane, solo],
            tags=["Health", "clinics", "Équité"],
            featured_image=ContentFile(image_bytes((64, 48)), name="clinic.jpg"),
            featured_image_alt="A nurse at a clinic door",
            featured_image_caption="The first clinic, in Bern.",
            featured_image_credit="Photo: Zeta",
            source_url="https://zeta.example.org/news/clinics",
            language="en",
        ),
        "draft": ReleaseFactory(
            headline="Draft about budgets", draft=True, author=None, organizations=[alpha]
        ),
        "review": ReleaseFactory(
            headline="In review: new board", in_review=True, organizations=[zeta], tags=["Board"]
        ),
        "scheduled": ReleaseFactory(
            headline="Scheduled annual report",
            published_at=now + timedelta(days=2),
            organizations=[zeta],
        ),
        "embargoed": ReleaseFactory(
            headline="Embargoed study results",
            published_at=now - timedelta(hours=2),
            embargoed_until=now + timedelta(days=1),
            organizations=[alpha, zeta],
            contacts=[jane],
        ),
        "withdrawn": ReleaseFactory(
            headline="Withdrawn statement",
            published_at=APRIL,
            status=Status.WITHDRAWN,
            withdrawn_at=APRIL + timedelta(days=3),
            withdrawal_reason="Issued in error.",
            organizations=[alpha],
        ),
    }
    Correction.objects.create(
        release=releases["public"], noted_at=MARCH + timedelta(days=1), note="Fixed a figure."
    )
    Correction.objects.create(
        release=releases["public"], noted_at=MARCH + timedelta(days=2), note="Added a quote."
    )
    return releases


def export(format_name: str, queryset=None, **kwargs) -> str | bytes:
    queryset = Release.objects.order_by("pk") if queryset is None else queryset
    chunks = list(export_chunks(queryset, format_name, base_url=BASE_URL, **kwargs))
    return b"".join(chunks) if FORMATS[format_name].binary else "".join(chunks)


def validate_ninjs(item: dict) -> None:
    jsonschema.Draft202012Validator(
        NINJS_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(item)


# -- the canonical dict ----------------------------------------------------------------


def test_release_dict_has_every_part_in_a_fixed_order():
    release = build_newsroom()["public"]

    data = release_to_dict(release)

    assert tuple(data) == RELEASE_KEYS
    assert data["published_at"] == "2024-03-12T09:30:00Z"
    assert data["author"] == {
        "name": "Ada Reporter",
        "slug": "ada-reporter",
        "bio": "<p>Ada covers public health.</p>",  # rich text (issue 9)
    }
    assert [o["name"] for o in data["organizations"]] == ["Zeta Health Trust", "Alpha Foundation"]
    assert data["organizations"][0] == {
        "name": "Zeta Health Trust",
        "short_name": "ZHT",
        "slug": "zht",
        "boilerplate": "<p>Zeta Health Trust funds clinics. “Quoted” &amp; &lt;escaped&gt;.</p>",
        "website": "https://example.org/",
        "location": "Geneva, Switzerland",
    }
    assert data["contacts"] == [
        {
            "name": "Omar Diallo",
            "role": "",
            "organization": "Press Agency Ltd",
            "email": data["contacts"][0]["email"],
            "phone": "",
        },
        {
            "name": "Jane Roe",
            "role": "Head of press",
            "organization": "Zeta Health Trust",
            "email": data["contacts"][1]["email"],
            "phone": "+41227912222",
        },
        {
            "name": "Sam Solo",
            "role": "Freelance",
            "organization": None,
            "email": "",
            "phone": "+442079460000",
        },
    ]
    assert data["tags"] == ["clinics", "Health", "Équité"]
    assert data["corrections"] == [
        {"noted_at": "2024-03-13T09:30:00Z", "note": "Fixed a figure."},
        {"noted_at": "2024-03-14T09:30:00Z", "note": "Added a quote."},
    ]
    image = data["featured_image"]
    assert image["file_name"] == "clinic.jpg"
    assert image["content_type"] == "image/jpeg"
    assert image["size"] == len(image_bytes((64, 48)))
    assert len(image["sha256"]) == 64
    assert image["href"] == release.featured_image.url


def test_release_dict_reads_the_same_however_the_parts_were_loaded():
    build_newsroom()
    plain = [release_to_dict(r) for r in Release.objects.order_by("pk")]
    read = [
        release_to_dict(r) for r in read_for_export(Release.objects.order_by("pk"), chunk_size=4)
    ]
    prefetched = [
        release_to_dict(r)
        for r in Release.objects.with_parts()
        .prefetch_related("corrections", "attachments")
        .order_by("pk")
    ]
    assert plain == read == prefetched


def test_private_contact_notes_are_never_exported():
    release = build_newsroom()["public"]
    release.contacts.update(notes="Call only after 6pm — private")

    for format_name in ("csv", "json", "ndjson", "atom", "ninjs"):
        assert "private" not in export(format_name)


# -- each format in its reader ---------------------------------------------------------


def test_csv_opens_in_the_csv_module_one_row_per_release():
    releases = build_newsroom()

    rows = list(csv.DictReader(io.StringIO(export("csv"), newline="")))

    assert tuple(rows[0]) == HEADER
    assert len(rows) == len(releases)
    public = next(row for row in rows if row["slug"] == releases["public"].slug)
    assert public["headline"] == "Clinics open in 12 districts — “a first”"
    assert public["url"] == f"{BASE_URL}/releases/{releases['public'].slug}/"
    assert public["state"] == "Published"
    assert public["published_at"] == "2024-03-12T09:30:00Z"
    assert public["embargoed_until"] == ""
    assert public["organizations"] == "Zeta Health Trust; Alpha Foundation"
    assert public["tags"] == "clinics; Health; Équité"
    assert public["contacts"].split("; ")[1].startswith("Jane Roe (Head of press, Zeta Health")
    assert public["contacts"].endswith("Sam Solo (Freelance) +442079460000")
    assert public["corrections"] == (
        "2024-03-13T09:30:00Z: Fixed a figure.; 2024-03-14T09:30:00Z: Added a quote."
    )
    assert "\n<ul>" in public["body"]  # newlines survive inside a quoted cell
    embargoed = next(row for row in rows if row["slug"] == releases["embargoed"].slug)
    assert embargoed["state"] == "Embargoed"


def test_json_is_one_array_of_full_releases_as_json_dumps_would_write_it():
    build_newsroom()

    text = export("json")
    data = json.loads(text)

    assert [item["id"] for item in data] == list(
        Release.objects.order_by("pk").values_list("pk", flat=True)
    )
    assert text == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    first = Release.objects.order_by("pk").first()
    assert data[0] == release_to_dict(first, LinkedFiles(BASE_URL))


def test_json_of_nothing_is_an_empty_array():
    assert json.loads(export("json")) == []
    assert export("ninjs") == "[]\n"
    assert export("ndjson") == ""


def test_ndjson_is_one_release_per_line():
    releases = build_newsroom()

    lines = export("ndjson").splitlines()

    assert len(lines) == len(releases)
    assert [json.loads(line)["slug"] for line in lines] == list(
        Release.objects.order_by("pk").values_list("slug", flat=True)
    )


def test_xlsx_opens_in_openpyxl_with_dates_and_text_kept_as_text():
    releases = build_newsroom()
    releases["draft"].headline = "=HYPERLINK(“evil”)"
    releases["draft"].body = "x" * 40_000
    releases["draft"].save()

    workbook = openpyxl.load_workbook(io.BytesIO(export("xlsx")))

    sheet = workbook["Releases"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[: HEADER.index("published_at")] == HEADER[: HEADER.index("published_at")]
    assert "published_at (UTC)" in header
    assert len(rows) == 1 + len(releases)
    by_slug = {row[header.index("slug")]: row for row in rows[1:]}
    public = by_slug[releases["public"].slug]
    assert public[header.index("published_at (UTC)")] == datetime(2024, 3, 12, 9, 30)
    assert public[header.index("organizations")] == "Zeta Health Trust; Alpha Foundation"
    draft = by_slug[releases["draft"].slug]
    assert draft[header.index("headline")] == "=HYPERLINK(“evil”)"
    assert sheet.cell(row=2, column=header.index("headline") + 1).data_type == "s"
    assert len(draft[header.index("body")]) == 32_767


def test_atom_parses_with_every_release_and_its_status():
    releases = build_newsroom()

    feed = feedparser.parse(export("atom"))

    assert not feed.bozo, feed.bozo_exception
    assert len(feed.entries) == len(releases)
    entries = {entry.link: entry for entry in feed.entries}
    public = entries[f"{BASE_URL}/releases/{releases['public'].slug}/"]
    assert public.title == "Clinics open in 12 districts — “a first”"
    assert public.summary == "Twelve clinics open; = not a formula."
    assert "<strong>paragraph</strong>" in public.content[0].value
    assert public.author == "Ada Reporter"
    assert public.published_parsed[:5] == (2024, 3, 12, 9, 30)
    assert public.id == (
        f"tag:news.example.org,{releases['public'].created_at.date().isoformat()}"
        f":release/{releases['public'].pk}"
    )
    terms = {(tag.term, tag.get("scheme")) for tag in public.tags}
    assert {("Health", None), ("clinics", None), ("published", "urn:newsroom:release-status")} <= (
        terms
    )
    draft = entries[f"{BASE_URL}/releases/{releases['draft'].slug}/"]
    assert "published" not in draft
    assert any(tag.term == "draft" and tag.label == "Draft" for tag in draft.tags)


def test_every_ninjs_item_validates_against_the_schema():
    build_newsroom()

    items = json.loads(export("ninjs"))

    assert len(items) == Release.objects.count()
    for item in items:
        validate_ninjs(item)


def test_ninjs_item_carries_the_parts_of_a_release():
    release = build_newsroom()["public"]

    item = release_to_ninjs(release, BASE_URL + "/")

    validate_ninjs(item)
    assert item["uri"] == f"{BASE_URL}/releases/{release.slug}/"
    assert item["type"] == "text"
    assert item["pubStatus"] == "usable"
    assert item["firstCreated"] == "2024-03-12T09:30:00Z"
    assert item["headlines"] == [
        {"role": "main", "value": "Clinics open in 12 districts — “a first”"},
        {"role": "sub", "value": "Zeta & Alpha: <joint> work"},
    ]
    assert item["descriptions"][0]["value"] == "Twelve clinics open; = not a formula."
    assert item["bodies"][0] == {"role": "main", "contentType": "text/html", "value": release.body}
    assert item["by"] == "Ada Reporter"
    assert item["located"] == "Geneva"
    assert [s["name"] for s in item["subjects"]] == ["clinics", "Health", "Équité"]
    assert item["people"] == [
        {"name": "Ada Reporter", "rel": "author", "uri": f"{BASE_URL}/authors/ada-reporter/"},
        {
            "name": "Sam Solo",
            "rel": "media-contact",
            "contactInfo": [
                {"type": "phone", "name": "Sam Solo", "role": "Freelance", "value": "+442079460000"}
            ],
        },
    ]
    zeta, alpha, agency = item["organisations"]
    assert (zeta["name"], zeta["rel"], zeta["literal"]) == ("Zeta Health Trust", "issuer", "ZHT")
    assert (alpha["name"], alpha["rel"]) == ("Alpha Foundation", "co-issuer")
    assert (agency["name"], agency["rel"]) == ("Press Agency Ltd", "contact")
    assert {
        "type": "phone",
        "name": "Jane Roe",
        "role": "Head of press",
        "value": "+41227912222",
    } in (zeta["contactInfo"])
    assert {"type": "address", "address": {"lines": ["Geneva, Switzerland"]}} in zeta["contactInfo"]
    assert "contactInfo" not in alpha  # no website, no location, no contacts of its own
    assert item["infoSources"] == [
        {"role": "source", "uri": "https://zeta.example.org/news/clinics"}
    ]
    image = item["associations"][0]
    assert image["uri"] == f"{BASE_URL}{release.featured_image.url}"
    assert image["renditions"] == [
        {
            "name": "original",
            "href": image["uri"],
            "title": "clinic.jpg",
            "contentType": "image/jpeg",
            "sizeInBytes": release.featured_image.size,
        }
    ]
    assert image["altIds"] == [
        {"role": "sha256", "value": hashlib.sha256(release.featured_image.read()).hexdigest()}
    ]


@pytest.mark.parametrize(
    ("state", "pub_status"),
    [
        ("public", "usable"),
        ("draft", "withheld"),
        ("review", "withheld"),
        ("scheduled", "withheld"),
        ("embargoed", "withheld"),
        ("withdrawn", "canceled"),
    ],
)
def test_ninjs_pub_status_follows_the_release_state(state, pub_status):
    release = build_newsroom()[state]

    item = release_to_ninjs(release, BASE_URL)

    assert item["pubStatus"] == pub_status
    validate_ninjs(item)


def test_ninjs_withheld_items_are_dated_by_creation_and_embargoes_are_said():
    releases = build_newsroom()

    embargoed = release_to_ninjs(releases["embargoed"], BASE_URL)
    withdrawn = release_to_ninjs(releases["withdrawn"], BASE_URL)

    assert embargoed["firstCreated"].startswith(
        releases["embargoed"].created_at.astimezone(UTC).isoformat()[:19]
    )
    assert "embargoedUntil" in embargoed
    assert withdrawn["firstCreated"] == "2024-04-02T15:00:00.250000Z"
    assert withdrawn["edNote"] == "Issued in error."


# -- streaming -------------------------------------------------------------------------


def count_queries(format_name: str, chunk_size: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        export(format_name, chunk_size=chunk_size)
    return len(queries)


@pytest.mark.parametrize("format_name", list(FORMATS))
def test_export_queries_grow_per_chunk_never_per_release(format_name):
    organizations = OrganizationFactory.create_batch(2)
    contact = ContactFactory()
    ContentType.objects.get_for_model(Release)  # cached for the process, as in production

    def add(count):
        # Every release has an author of its own: each chunk meets new authors.
        for _ in range(count):
            ReleaseFactory(organizations=organizations, contacts=[contact], tags=["a", "b"])

    add(10)
    ten_in_one_chunk = count_queries(format_name, chunk_size=100)
    add(50)
    sixty_in_one_chunk = count_queries(format_name, chunk_size=100)
    sixty_in_chunks_of_ten = count_queries(format_name, chunk_size=10)

    # The releases; links to organizations, contacts, tags, corrections, attachments;
    # the authors, organizations, contacts and tags not met before.
    assert ten_in_one_chunk == sixty_in_one_chunk == 10
    # Each further chunk: its five kinds of links and its new authors.
    assert sixty_in_chunks_of_ten == sixty_in_one_chunk + 5 * (5 + 1)


@pytest.mark.parametrize("format_name", ["csv", "json", "ndjson", "atom", "ninjs"])
def test_exports_write_before_reading_everything(format_name):
    """The first ~64 KB go out after a chunk or two has been read, not at the end."""
    organization = OrganizationFactory()
    for _ in range(60):
        ReleaseFactory(body="<p>" + "Long paragraph. " * 400 + "</p>", organizations=[organization])
    read = []

    chunks = export_chunks(
        Release.objects.order_by("pk"),
        format_name,
        base_url=BASE_URL,
        chunk_size=10,
        each=lambda release: read.append(release.pk),
    )
    next(iter(chunks))

    assert 0 < len(read) <= 20


def test_writers_hold_one_release_at_a_time():
    from releases.exports.json import write_json

    releases = (ReleaseFactory() for _ in range(3))
    chunks = write_json(releases, base_url=BASE_URL)

    first = next(chunks)

    assert first.startswith("[\n  {")
    assert Release.objects.count() == 1  # the generator has produced one release only


def test_search_annotations_are_not_computed_for_an_export():
    from releases.search import search_releases

    ReleaseFactory(headline="Vaccines arrive")
    ReleaseFactory(headline="Schools open")
    searched = search_releases(Release.objects.all(), "vaccines").order_by("-published_at")

    with CaptureQueriesContext(connection) as queries:
        exported = json.loads(export("json", searched))

    assert [item["headline"] for item in exported] == ["Vaccines arrive"]
    main_query = next(
        query["sql"]
        for query in queries.captured_queries
        if '"releases_release"."body"' in query["sql"]
    )
    assert "search_snippet" not in main_query
    assert "search_rank" not in main_query


def test_an_order_by_search_rank_is_kept():
    from releases.search import search_releases

    ReleaseFactory(headline="Vaccines arrive")
    searched = search_releases(Release.objects.all(), "vaccines")

    assert [item["headline"] for item in json.loads(export("json", searched))] == [
        "Vaccines arrive"
    ]
