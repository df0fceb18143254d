"""Full-text search (``q``): what it finds, how the index follows edits, how results read.

Every test asserts on both databases. Where PostgreSQL (stored tsvector, websearch
syntax, rank, ts_headline) and the SQLite fallback (substring match, newest first)
differ by design, the test says what each one does.

The words searched for (glacier, orchid, volcano, lantern, walrus…) stem to themselves
in PostgreSQL's English config and occur nowhere in the factories' default text, so a
single-word search finds the same releases on both databases.
"""

import importlib
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from releases.filters import MAX_QUERY_LENGTH, ReleaseFilter
from releases.indexing import update_search_vectors
from releases.models import Release, ReleaseOrganization
from releases.search import capped_count, highlight, is_capped, search_releases
from releases.services import release_duplicate, release_publish
from tests.factories import OrganizationFactory, ReleaseFactory, editor

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"


def found(query, queryset=None):
    """Headlines of the public releases the list filter returns for ``q=query``, in order."""
    releases = ReleaseFilter(
        {"q": query}, queryset=queryset if queryset is not None else Release.objects.published()
    ).qs
    return list(releases.values_list("headline", flat=True))


def indexed(query):
    """Headlines matching ``query`` among ALL releases: what the index holds, drafts too."""
    return set(search_releases(Release.objects.all(), query).values_list("headline", flat=True))


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


# -- what is searched -------------------------------------------------------------------


@pytest.mark.parametrize(
    "where",
    ["headline", "subheadline", "summary", "body", "tag", "organization", "short name"],
)
def test_a_word_anywhere_in_the_release_finds_it(where):
    text = {
        "headline": {"headline": "Glacier retreat measured"},
        "subheadline": {"subheadline": "A glacier survey"},
        "summary": {"summary": "The glacier lost mass."},
        "body": {"body": "<p>Our <strong>glacier</strong> team reports.</p>"},
        "tag": {"tags": ["glacier"]},
        "organization": {"organizations": [OrganizationFactory(name="Glacier Trust")]},
        "short name": {"organizations": [OrganizationFactory(short_name="GLACIER")]},
    }[where]
    release = ReleaseFactory(**({"headline": "Annual report"} | text))
    ReleaseFactory(headline="Unrelated news")

    assert found("glacier") == [release.headline]
    assert found("GLACIER") == [release.headline]


def test_every_word_must_match():
    ReleaseFactory(headline="Glacier and orchid survey")
    ReleaseFactory(headline="Glacier survey")

    assert found("glacier orchid") == ["Glacier and orchid survey"]


def test_an_empty_or_blank_query_does_not_filter():
    ReleaseFactory(headline="Glacier survey")
    ReleaseFactory(headline="Orchid census")

    assert search_releases(Release.objects.all(), "   ").count() == 2
    assert ReleaseFilter({"q": "   "}, queryset=Release.objects.published()).qs.count() == 2


@pytest.mark.parametrize("state", ["draft", "in_review", "scheduled", "embargoed", "withdrawn"])
def test_releases_that_are_not_public_are_never_found(state):
    extra = {"withdrawn": {"published_at": hours_ago(5)}}.get(state, {})
    ReleaseFactory(headline="Glacier draft text", **{state: True}, **extra)
    ReleaseFactory(headline="Glacier public news")

    assert found("glacier") == ["Glacier public news"]


def test_a_query_of_the_maximum_length_is_accepted_and_a_longer_one_is_refused():
    ReleaseFactory(headline="Glacier survey")
    longest = ("glacier " * MAX_QUERY_LENGTH)[:MAX_QUERY_LENGTH]

    assert ReleaseFilter({"q": longest}, queryset=Release.objects.published()).is_valid()
    assert found(longest) == ["Glacier survey"]
    assert not ReleaseFilter({"q": longest + "x"}, queryset=Release.objects.published()).is_valid()


# -- the index follows every change ------------------------------------------------------


def test_editing_the_headline_moves_the_release_to_the_new_words():
    release = ReleaseFactory(headline="Glacier survey")

    release = Release.objects.get(pk=release.pk)  # as loaded by the admin, vector and all
    release.headline = "Volcano survey"
    release.save()

    assert found("glacier") == []
    assert found("volcano") == ["Volcano survey"]


def test_a_draft_is_indexed_and_found_once_published():
    release = ReleaseFactory(headline="Glacier draft", draft=True)
    assert found("glacier") == []

    release_publish(release=release, user=editor(), at=hours_ago(1))

    assert found("glacier") == ["Glacier draft"]


def test_retagging_updates_the_index():
    release = ReleaseFactory(headline="Annual report", tags=["glacier"])

    release.tags.set(["volcano"])
    assert (found("glacier"), found("volcano")) == ([], ["Annual report"])

    release.tags.add("orchid")
    release.tags.remove("volcano")
    assert (found("volcano"), found("orchid")) == ([], ["Annual report"])

    release.tags.clear()
    assert found("orchid") == []


def test_renaming_or_deleting_a_tag_updates_the_releases_that_carry_it():
    ReleaseFactory(headline="Annual report", tags=["glacier"])
    tag = Tag.objects.get(name="glacier")

    tag.name = "walrus"
    tag.save()
    assert (found("glacier"), found("walrus")) == ([], ["Annual report"])

    tag.delete()
    assert found("walrus") == []


def test_renaming_an_organization_updates_its_releases():
    organization = OrganizationFactory(name="Glacier Trust", short_name="GT")
    ReleaseFactory(headline="Annual report", organizations=[organization])

    organization.name = "Lantern Foundation"
    organization.save()

    assert (found("glacier"), found("lantern")) == ([], ["Annual report"])


def test_every_way_of_linking_an_organization_updates_the_index():
    glacier = OrganizationFactory(name="Glacier Trust")
    volcano = OrganizationFactory(name="Volcano Society")
    orchid = OrganizationFactory(name="Orchid Guild")
    release = ReleaseFactory(headline="Annual report")

    release.organizations.add(glacier)  # m2m_changed, bulk-created link row
    volcano.releases.add(release)  # the same, from the other side
    ReleaseOrganization.objects.create(release=release, organization=orchid, position=3)
    assert found("glacier") == found("volcano") == found("orchid") == ["Annual report"]

    release.organizations.remove(glacier)
    ReleaseOrganization.objects.get(release=release, organization=orchid).delete()
    assert (found("glacier"), found("volcano"), found("orchid")) == ([], ["Annual report"], [])

    release.organizations.clear()
    assert found("volcano") == []


def test_a_duplicated_release_is_indexed_with_its_organizations_and_tags():
    organization = OrganizationFactory(name="Glacier Trust")
    release = ReleaseFactory(headline="Annual report", organizations=[organization])
    untagged = ReleaseFactory(headline="Quartz report", organizations=[organization])
    tagged = ReleaseFactory(headline="Orchid report", tags=["walrus"])
    user = editor()

    release_duplicate(release=release, user=user)
    release_duplicate(release=untagged, user=user)
    release_duplicate(release=tagged, user=user)

    assert indexed("glacier") == {
        "Annual report",
        "Annual report (copy)",
        "Quartz report",
        "Quartz report (copy)",
    }
    assert indexed("walrus") == {"Orchid report", "Orchid report (copy)"}


def test_deleting_a_release_with_organizations_and_tags_works():
    organization = OrganizationFactory(name="Glacier Trust")
    release = ReleaseFactory(organizations=[organization], tags=["glacier"])

    release.delete()
    Release.objects.filter(pk__in=[ReleaseFactory(organizations=[organization]).pk]).delete()

    assert found("glacier") == []


def test_reindex_search_rebuilds_every_vector_in_batches():
    for name in ("glacier", "orchid", "volcano"):
        ReleaseFactory(headline=f"{name.title()} survey", tags=["walrus"])
    Release.objects.update(search_vector=None)  # as after a bulk import or loaddata

    call_command("reindex_search", "--batch-size", "2", stdout=(out := _Output()))

    if ON_POSTGRESQL:
        assert "Indexed 3 releases." in out.text
        assert not Release.objects.filter(search_vector__isnull=True).exists()
    else:
        assert "nothing to do" in out.text
    assert len(found("walrus")) == 3
    assert found("orchid") == ["Orchid survey"]


class _Output:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_the_vector_is_stored_only_on_postgresql():
    release = ReleaseFactory(headline="Glacier survey", tags=["walrus"])
    vector = Release.objects.values_list("search_vector", flat=True).get(pk=release.pk)

    if ON_POSTGRESQL:
        assert "'glacier':1A" in vector
        assert "'walrus'" in vector
    else:
        assert vector is None
        assert update_search_vectors([release.pk]) == 0


def vectors_live_and_refilled(migration, release) -> tuple[str | None, str | None]:
    """``release``'s search vector as the live code wrote it, and as ``migration``'s
    ``fill_search_vectors`` writes it again from nothing."""
    live = Release.objects.values_list("search_vector", flat=True).get(pk=release.pk)
    Release.objects.update(search_vector=None)
    # What the migration needs of a schema editor (SQLite's cannot open inside a test).
    with connection.cursor() as cursor:
        editor = SimpleNamespace(connection=connection, execute=cursor.execute)
        migration.fill_search_vectors(None, editor)
    filled = Release.objects.values_list("search_vector", flat=True).get(pk=release.pk)
    return live, filled


def test_the_migration_fills_the_same_vectors_as_the_live_code():
    migration = importlib.import_module("releases.migrations.0003_release_search")
    release = ReleaseFactory(
        headline="Glacier survey",
        subheadline="Orchid dek",
        summary="Volcano lede",
        body="<p>Lantern &amp; walrus</p><ul><li>quartz&nbsp;harbour</li></ul>",
        tags=["meadow", "falcon"],
        organizations=[OrganizationFactory(name="Vaccine Trust", short_name="VT")],
    )
    live, filled = vectors_live_and_refilled(migration, release)
    if ON_POSTGRESQL:
        assert filled == live
        assert "'lantern':" in filled
        assert "amp" not in filled
    else:
        assert filled is live is None


def test_the_search_index_exists():
    with connection.cursor() as cursor:
        if ON_POSTGRESQL:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["release_search_idx"]
            )
            (definition,) = cursor.fetchone()
            assert "USING gin (search_vector)" in definition
        else:
            # SQLite has no GIN; the same migration leaves a plain index there.
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s",
                ["release_search_idx"],
            )
            (definition,) = cursor.fetchone()
            assert '"search_vector"' in definition


# -- query syntax and ranking ------------------------------------------------------------


def test_a_quoted_phrase_must_appear_as_written():
    ReleaseFactory(headline="New solar farm opens")
    ReleaseFactory(headline="Farm goes solar")

    assert found('"solar farm"') == ["New solar farm opens"]
    assert sorted(found("solar farm")) == ["Farm goes solar", "New solar farm opens"]


def test_or_and_minus_follow_web_search_syntax():
    ReleaseFactory(headline="Glacier survey", published_at=hours_ago(3))
    ReleaseFactory(headline="Volcano survey", published_at=hours_ago(2))
    ReleaseFactory(headline="Glacier and volcano survey", published_at=hours_ago(1))
    ReleaseFactory(headline="Orchid census", published_at=hours_ago(4))

    assert set(found("glacier OR volcano")) == {
        "Glacier survey",
        "Volcano survey",
        "Glacier and volcano survey",
    }
    assert found("glacier -volcano") == ["Glacier survey"]
    assert found('-"glacier and volcano" survey') == ["Volcano survey", "Glacier survey"]
    # OR binds looser than AND: (glacier AND volcano) OR orchid.
    assert set(found("glacier volcano or orchid")) == {
        "Glacier and volcano survey",
        "Orchid census",
    }


def test_a_headline_match_ranks_above_a_body_match_on_postgresql():
    ReleaseFactory(headline="Glacier survey", published_at=hours_ago(5))
    ReleaseFactory(
        headline="Annual report", body="<p>A note on the glacier.</p>", published_at=hours_ago(1)
    )

    if ON_POSTGRESQL:
        assert found("glacier") == ["Glacier survey", "Annual report"]
    else:
        assert found("glacier") == ["Annual report", "Glacier survey"]  # newest first


def test_a_search_matching_more_than_the_cap_is_newest_first_and_unranked(monkeypatch):
    monkeypatch.setattr("releases.search.COUNT_CAP", 1)
    ReleaseFactory(headline="Glacier survey", published_at=hours_ago(5))
    ReleaseFactory(
        headline="Annual report", summary="A note on the glacier.", published_at=hours_ago(1)
    )

    releases = search_releases(Release.objects.published(), "glacier")

    assert is_capped(releases)
    # The headline match would rank first; past the cap the newest comes first.
    assert [release.headline for release in releases] == ["Annual report", "Glacier survey"]
    if ON_POSTGRESQL:
        assert {release.search_rank for release in releases} == {0}
    assert "<mark>glacier</mark>" in str(releases[0].search_snippet)


def test_a_search_within_the_cap_ranks_every_match(monkeypatch):
    monkeypatch.setattr("releases.search.COUNT_CAP", 2)
    ReleaseFactory(headline="Glacier survey", published_at=hours_ago(5))
    ReleaseFactory(
        headline="Annual report", body="<p>A note on the glacier.</p>", published_at=hours_ago(1)
    )

    releases = search_releases(Release.objects.published(), "glacier")

    assert not is_capped(releases)
    if ON_POSTGRESQL:
        assert [release.headline for release in releases] == ["Glacier survey", "Annual report"]
        assert all(release.search_rank > 0 for release in releases)


def test_the_capped_count_stops_one_past_the_cap():
    for n in range(4):
        ReleaseFactory(headline=f"Glacier survey {n}")

    assert capped_count(Release.objects.published(), cap=2) == 3
    assert capped_count(Release.objects.published(), cap=10) == 4


def test_equal_matches_come_newest_first():
    for hours in (3, 1, 2):
        ReleaseFactory(headline=f"Glacier survey {hours}", published_at=hours_ago(hours))

    assert found("glacier") == ["Glacier survey 1", "Glacier survey 2", "Glacier survey 3"]


def test_postgresql_matches_word_forms_where_sqlite_matches_substrings():
    ReleaseFactory(headline="Vaccine trial", published_at=hours_ago(2))
    ReleaseFactory(headline="Vaccines shipped", published_at=hours_ago(1))
    ReleaseFactory(
        headline="Quarterly results",
        body="<p><strong>Up</strong></p>",
        organizations=[OrganizationFactory(name="World Health Organization", short_name="WHO")],
        published_at=hours_ago(3),
    )

    if ON_POSTGRESQL:
        # Both stem to "vaccin"; markup is not text; "who" is an English stop word.
        assert found("vaccines") == ["Vaccines shipped", "Vaccine trial"]
        assert found("strong") == []
        assert found("WHO") == []
    else:
        assert found("vaccines") == ["Vaccines shipped"]
        assert found("strong") == ["Quarterly results"]  # the <strong> tag of the body
        assert found("WHO") == ["Quarterly results"]
    assert found("vaccine") == ["Vaccines shipped", "Vaccine trial"]
    assert found("health") == ["Quarterly results"]


# -- the snippet -------------------------------------------------------------------------


def test_the_snippet_marks_the_match_and_escapes_everything_else():
    ReleaseFactory(
        headline="Annual report",
        summary='Alert <script>alert("x")</script> & the glacier melts.',
    )

    (release,) = ReleaseFilter({"q": "glacier"}, queryset=Release.objects.published()).qs
    snippet = str(release.search_snippet)

    assert "<mark>glacier</mark>" in snippet
    assert "<script" not in snippet
    assert "&amp; the <mark>glacier</mark> melts" in snippet
    assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    if ON_POSTGRESQL:
        # ts_headline's parser takes "<script>" for a tag and leaves it out.
        assert "alert(&quot;x&quot;)" in snippet
    else:
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in snippet


def test_the_snippet_quotes_the_body_on_postgresql_and_the_summary_on_sqlite():
    ReleaseFactory(
        headline="Annual report",
        summary="The lede.",
        body="<p>Intro.</p><p>The <em>glacier</em> &amp; the lake.</p>",
    )

    (release,) = search_releases(Release.objects.all(), "glacier")

    if ON_POSTGRESQL:
        assert "<mark>glacier</mark> &amp; the lake" in release.search_snippet
        assert "<em>" not in release.search_snippet
    else:
        assert release.search_snippet == "The lede."


def test_the_snippet_filter_escapes_text_that_did_not_come_from_search():
    from releases.templatetags.search import snippet

    assert snippet("<b>\ue000glacier\ue001</b>") == "&lt;b&gt;<mark>glacier</mark>&lt;/b&gt;"
    assert snippet(highlight("\ue000a\ue001")) == "<mark>a</mark>"
    assert snippet(None) == ""
    # A stray stop mark in content never closes a tag that was not opened.
    assert highlight("a\ue001b\ue000c") == "ab<mark>c</mark>"


# -- cost --------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 25])
def test_a_search_costs_two_queries_whatever_the_number_of_results(
    count, django_assert_num_queries, monkeypatch
):
    # The capped count (which decides between ranking and newest first), then the rows;
    # a cap below the matches takes the other branch, in as many queries.
    monkeypatch.setattr("releases.search.COUNT_CAP", 10)
    organization = OrganizationFactory(name="Glacier Trust")
    for n in range(count):
        ReleaseFactory(
            headline=f"Glacier survey {n}", tags=["walrus"], organizations=[organization]
        )

    with django_assert_num_queries(2):
        releases = list(search_releases(Release.objects.published(), "glacier -orchid"))
        snippets = [str(release.search_snippet) for release in releases]

    assert len(snippets) == count


@pytest.mark.parametrize("count", [3, 25])
def test_the_release_list_page_searches_in_a_fixed_number_of_queries(
    count, client, django_assert_max_num_queries
):
    organization = OrganizationFactory(name="Glacier Trust")
    for n in range(count):
        ReleaseFactory(
            headline=f"Glacier survey {n}",
            summary="The glacier <b>lost</b> mass.",
            tags=["walrus"],
            organizations=[organization],
            published_at=hours_ago(n + 1),
        )
    ReleaseFactory(headline="Orchid census")
    ReleaseFactory(headline="Glacier draft", draft=True)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("releases:list"), {"q": "glacier"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Glacier survey 0" in content
    assert "Orchid census" not in content
    assert "Glacier draft" not in content
    if ON_POSTGRESQL:
        assert "<mark>glacier</mark> lost mass" in content  # ts_headline drops the tags
    else:
        assert "<mark>glacier</mark> &lt;b&gt;lost&lt;/b&gt; mass" in content


# -- accents ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "searched"),
    [
        ("Zürich", "Zurich"),
        ("Zurich", "Zürich"),
        ("ZÜRICH", "zürich"),
        ("São Paulo", "Sao Paulo"),
        ("Sao Paulo", "São Paulo"),
        ("Kraków", "Krakow"),
        ("naïve", "naive"),
        ("Ångström", "angstrom"),
        ("façade", "facade"),
        ("Łódź", "Lodz"),
        ("Øresund", "Oresund"),
        ("encyclopædia", "encyclopaedia"),
        # German ß is "ss" (unaccent.rules; the Swiss spelling): both ways.
        ("Straße", "Strasse"),
        ("Strasse", "Straße"),
    ],
)
@pytest.mark.parametrize("where", ["headline", "body", "tag", "organization"])
def test_search_ignores_accents_both_ways(written, searched, where):
    text = {
        "headline": {"headline": f"Offices in {written}"},
        "body": {"body": f"<p>New offices in <em>{written}</em>.</p>"},
        "tag": {"tags": [written]},
        "organization": {"organizations": [OrganizationFactory(name=f"{written} Trust")]},
    }[where]
    release = ReleaseFactory(**({"headline": "Annual report"} | text))
    ReleaseFactory(headline="Offices in Geneva")

    assert found(searched) == [release.headline]


def test_accents_still_tell_different_words_apart():
    ReleaseFactory(headline="Offices in Zürich")

    assert found("Zagreb") == []
    assert found("Zürichsee -Zürich") == []


def test_the_snippet_marks_the_word_as_written_whichever_way_it_is_searched():
    ReleaseFactory(headline="Annual report", summary="New offices in Zürich & São Paulo.")
    ReleaseFactory(headline="Other report", summary="New offices in Zurich.")

    accented, plain = search_releases(Release.objects.order_by("id"), "Zurich").order_by("id")
    assert "<mark>Zürich</mark> &amp;" in accented.search_snippet
    assert "<mark>Zurich</mark>" in plain.search_snippet
    (release,) = search_releases(Release.objects.all(), '"Sao Paulo"')
    assert "<mark>São</mark> <mark>Paulo</mark>" in release.search_snippet.replace(
        "<mark>São Paulo</mark>", "<mark>São</mark> <mark>Paulo</mark>"
    )
    accented, plain = search_releases(Release.objects.all(), "Zürich").order_by("id")
    assert "<mark>Zürich</mark>" in accented.search_snippet
    assert "<mark>Zurich</mark>" in plain.search_snippet


def test_an_accented_headline_match_still_ranks_above_a_body_match_on_postgresql():
    ReleaseFactory(headline="Zürich survey", published_at=hours_ago(5))
    ReleaseFactory(
        headline="Annual report", body="<p>A note on Zurich.</p>", published_at=hours_ago(1)
    )

    if ON_POSTGRESQL:
        assert found("zurich") == ["Zürich survey", "Annual report"]
    else:
        assert found("zurich") == ["Annual report", "Zürich survey"]  # newest first


def test_the_unaccent_migration_fills_the_same_vectors_as_the_live_code():
    migration = importlib.import_module("releases.migrations.0008_search_unaccent")
    release = ReleaseFactory(
        headline="Zürich survey",
        subheadline="Façade dek",
        summary="Kraków lede",
        body="<p>São &amp; Paulo</p><ul><li>Straße&nbsp;harbour</li></ul>",
        tags=["Ångström", "falcon"],
        organizations=[OrganizationFactory(name="Łódź Trust", short_name="ŁT")],
    )
    live, filled = vectors_live_and_refilled(migration, release)
    if ON_POSTGRESQL:
        assert filled == live
        for word in ("'zurich':1A", "'facad'", "'krakow'", "'strass'", "'angstrom'", "'lodz'"):
            assert word in filled
    else:
        assert filled is live is None


# -- the list page past the cap ---------------------------------------------------------


def test_the_list_says_more_than_the_cap_and_skips_facets_past_it(client, monkeypatch):
    monkeypatch.setattr("releases.search.COUNT_CAP", 2)
    for hours in (3, 1, 2):
        ReleaseFactory(
            headline=f"Glacier survey {hours}", tags=["walrus"], published_at=hours_ago(hours)
        )

    response = client.get(reverse("releases:list"), {"q": "glacier", "tag": "walrus"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "More than 2 releases match, newest first" in content
    assert "The newest 2 are listed." in content
    # The newest two, newest first; no facet over every match.
    assert content.index("Glacier survey 1") < content.index("Glacier survey 2")
    assert "Glacier survey 3" not in content
    assert 'class="facet facet-tags"' not in content
    assert "Tag: walrus" in content  # the tag's name, without the facets


def test_the_list_counts_and_facets_a_search_within_the_cap(client, monkeypatch):
    monkeypatch.setattr("releases.search.COUNT_CAP", 3)
    for hours in (3, 1, 2):
        ReleaseFactory(headline=f"Glacier survey {hours}", published_at=hours_ago(hours))

    content = client.get(reverse("releases:list"), {"q": "glacier"}).content.decode()

    assert "3 releases" in content
    assert "More than" not in content
    assert 'class="facet facet-years"' in content


@pytest.mark.django_db
def test_the_search_counts_its_matches_after_the_date_range(monkeypatch):
    """A common word narrowed to a short range is counted within the range: the capped
    order is chosen only when more than COUNT_CAP match what the other filters leave."""
    from releases import search

    monkeypatch.setattr(search, "COUNT_CAP", 2)
    for day in (1, 2, 3, 20):
        ReleaseFactory(
            headline=f"Harbour news {day}",
            published_at=timezone.make_aware(datetime(2025, 3, day, 12)),
        )

    whole = ReleaseFilter({"q": "harbour"}, queryset=Release.objects.published()).qs
    narrowed = ReleaseFilter(
        {"q": "harbour", "from": "2025-03-19", "to": "2025-03-21"},
        queryset=Release.objects.published(),
    ).qs

    assert search.is_capped(whole)
    assert not search.is_capped(narrowed)
    assert [r.headline for r in narrowed] == ["Harbour news 20"]
