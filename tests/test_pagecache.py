"""The whole-response cache of anonymous public pages (releases/pagecache.py): what it
serves, when a change reaches readers, and what it never stores."""

import gzip
import threading
import time
from datetime import timedelta

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from releases import pagecache
from releases.models import Release, Status
from tests.factories import ReleaseFactory, editor
from tests.sharing.conftest import JANE

CACHE = "X-Newsroom-Cache"


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The cache on, empty, with no shared level (each test its own)."""
    settings.NEWSROOM_PAGE_CACHE = True
    pagecache.reset_response_cache()
    yield pagecache.response_cache()
    pagecache.reset_response_cache()


@pytest.fixture
def public(db):
    return ReleaseFactory(headline="Harbour reopens after the storm")


PUBLIC_URLS = [
    "/",
    "/releases/",
    "/releases/?q=harbour",
    "/tags/",
    "/feeds/releases.atom",
    "/feeds/releases.rss",
    "/sitemap.xml",
    "/api/releases/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_second_reader_gets_the_stored_page_for_one_query(client, public, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first[CACHE] == "miss"

    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)

    assert second[CACHE] == "hit"
    assert len(queries) == 1  # the public state, nothing else
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second.get("ETag") == first.get("ETag")


@pytest.mark.django_db
def test_the_release_page_and_its_api_detail_are_stored(client, public):
    for url in [public.get_absolute_url(), f"/api/releases/{public.slug}/"]:
        assert client.get(url)[CACHE] == "miss"
        assert client.get(url)[CACHE] == "hit"


@pytest.mark.django_db
def test_query_order_is_one_page_repeated_keys_keep_theirs(client, public):
    client.get("/releases/?page=1&sort=newest")
    assert client.get("/releases/?sort=newest&page=1")[CACHE] == "hit"
    assert client.get("/releases/?page=1")[CACHE] == "miss"


@pytest.mark.django_db
def test_gzip_is_stored_compressed_once_and_served_as_is(client, public):
    first = client.get("/releases/", HTTP_ACCEPT_ENCODING="gzip")
    second = client.get("/releases/", HTTP_ACCEPT_ENCODING="gzip")

    assert second[CACHE] == "hit"
    assert second["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in second["Vary"]
    assert gzip.decompress(second.content) == gzip.decompress(first.content)
    plain = client.get("/releases/")
    assert plain[CACHE] == "miss"  # another entry: a client that takes no gzip
    assert plain.content == gzip.decompress(second.content)


@pytest.mark.django_db
def test_a_stored_page_answers_a_conditional_request_with_304(client, public):
    etag = client.get("/releases/")["ETag"]

    response = client.get("/releases/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response["ETag"] == etag


# -- a change reaches readers at once -------------------------------------------------------


@pytest.mark.django_db
def test_publishing_editing_and_withdrawing_are_seen_by_the_next_reader(client, public):
    draft = ReleaseFactory(headline="Ferry timetable changes", draft=True)
    for url in ["/releases/", "/feeds/releases.atom", "/api/releases/", "/sitemap.xml"]:
        client.get(url)
        assert b"Ferry timetable" not in client.get(url).content

    draft.status, draft.published_at = Status.PUBLISHED, timezone.now()
    draft.save()
    assert all(
        "ferry-timetable" in client.get(url).content.decode().lower()
        for url in ["/releases/", "/feeds/releases.atom", "/api/releases/"]
    )

    public.headline = "Harbour reopens a week early"
    public.save()
    assert b"a week early" in client.get("/releases/").content
    assert b"a week early" in client.get(public.get_absolute_url()).content

    public.status, public.withdrawn_at = Status.WITHDRAWN, timezone.now()
    public.save()
    assert b"a week early" not in client.get("/releases/").content
    assert client.get(public.get_absolute_url()).status_code == 410

    Release.objects.filter(pk=draft.pk).delete()  # a queryset delete: signals per row
    assert b"Ferry timetable" not in client.get("/releases/").content


@pytest.mark.django_db
def test_a_scheduled_release_going_live_changes_the_state_without_a_write(db):
    now = timezone.now()
    ReleaseFactory(published_at=now + timedelta(hours=2))
    ReleaseFactory(published_at=now - timedelta(days=1), embargoed_until=now + timedelta(hours=5))

    before = pagecache.public_state(now)
    assert pagecache.public_state(now + timedelta(hours=1)) == before
    assert pagecache.public_state(now + timedelta(hours=3)) != before  # went live
    after_live = pagecache.public_state(now + timedelta(hours=3))
    assert pagecache.public_state(now + timedelta(hours=6)) != after_live  # embargo lifted


@pytest.mark.django_db(transaction=True)
def test_a_scheduled_release_appears_on_the_stored_list_at_its_time(client, public):
    ReleaseFactory(
        headline="Night ferry begins", published_at=timezone.now() + timedelta(seconds=1)
    )
    assert b"Night ferry begins" not in client.get("/releases/").content
    assert client.get("/releases/")[CACHE] == "hit"

    time.sleep(1.2)

    response = client.get("/releases/")
    assert response[CACHE] == "miss"
    assert b"Night ferry begins" in response.content


# -- never stored ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_logged_in_editor_is_never_served_nor_stored(client, public):
    client.force_login(editor())
    for _ in range(2):
        response = client.get("/releases/")
        assert CACHE not in response
    client.logout()
    assert client.get("/releases/")[CACHE] == "miss"


@pytest.mark.django_db
def test_the_staff_preview_of_a_draft_is_never_stored(client):
    draft = ReleaseFactory(headline="Secret merger", draft=True)
    client.force_login(editor())
    assert b"Secret merger" in client.get(draft.get_absolute_url()).content
    client.logout()

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 404
    assert b"Secret merger" not in response.content


@pytest.mark.django_db
def test_embargo_and_review_links_are_never_stored(client, media_root):
    from newsroom.sharing import services

    held = ReleaseFactory(
        headline="Harbour merger agreed", embargoed_until=timezone.now() + timedelta(days=1)
    )
    the_editor = editor(username="edna")
    [issued] = services.share_release(release=held, recipients=[JANE], user=the_editor)
    review = services.make_review_link(
        release=ReleaseFactory(draft=True, headline="Quarterly figures draft"),
        recipient=services.RecipientData(email="legal@client.example", name="Lee Gal"),
        user=the_editor,
    )

    for path in [issued.path, review.path]:
        first, second = client.get(path), client.get(path)
        assert first.status_code == second.status_code == 200
        assert CACHE not in first and CACHE not in second
    assert pagecache.response_cache().local.entries == {}


@pytest.mark.django_db
def test_error_pages_and_cookies_are_never_stored(client, public, page_cache):
    assert client.get("/releases/no-such-release/").status_code == 404
    assert client.get("/releases/?page=999").status_code == 404
    assert all(e.status == 200 for e in page_cache.local.entries.values())
    assert not any(b"no-such-release" in e.body for e in page_cache.local.entries.values())


@pytest.mark.django_db
def test_turned_off_it_stores_nothing(client, public, settings, page_cache):
    settings.NEWSROOM_PAGE_CACHE = False
    client.get("/releases/")
    assert CACHE not in client.get("/releases/")
    assert page_cache.local.entries == {}


# -- no stampede ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_while_one_process_renders_others_get_the_previous_page(client, public):
    shared = LocMemCache("pagecache-test", {})
    pagecache._cache = pagecache.ResponseCache(8 * 1024 * 1024, shared)
    client.get("/releases/")
    public.headline = "Harbour reopens a week early"
    public.save()
    # Another process has claimed the new page and is rendering it.
    token = pagecache.public_state().token
    client_key = next(k for k in shared._cache if ":page:last:" in k).split(":page:last:")[1]
    shared.add(f"newsroom:page:{token}:{client_key}:claim", 1, 10)
    pagecache._cache.local.clear()

    response = client.get("/releases/")

    assert response[CACHE] == "previous"
    assert b"a week early" not in response.content
    shared.delete(f"newsroom:page:{token}:{client_key}:claim")
    assert b"a week early" in client.get("/releases/").content


def _claim_by_another_process(shared, url_key: str) -> None:
    shared.add(f"newsroom:page:{pagecache.public_state().token}:{url_key}:claim", 1, 10)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.DRAFT, Status.WITHDRAWN])
def test_a_page_taken_down_never_comes_back_as_the_previous_page(client, public, status):
    """Found by bench/faults.py: a release back to draft kept being served, 200 with
    its text, to readers racing another process's render of its 404 (its last page
    stayed the published one, as a 404 is never stored)."""
    shared = LocMemCache("pagecache-test-down", {})
    pagecache._cache = pagecache.ResponseCache(8 * 1024 * 1024, shared)
    url = public.get_absolute_url()
    assert client.get(url).status_code == 200
    url_key = next(k for k in shared._cache if ":page:last:" in k).split(":page:last:")[1]
    public.status = status
    public.withdrawn_at = timezone.now() if status == Status.WITHDRAWN else None
    public.save()
    gone = 404 if status == Status.DRAFT else 410
    assert client.get(url).status_code == gone  # one reader renders it: not stored

    _claim_by_another_process(shared, url_key)  # and the next reader races another's
    for cache in (pagecache._cache, pagecache.ResponseCache(8 * 1024 * 1024, shared)):
        pagecache._cache = cache  # this process, then another with nothing of its own
        response = client.get(url)
        assert response.status_code == gone  # (a 410 names the release withdrawn)
        assert response.get(CACHE) != "previous"


def _take_down(release: Release, how: str) -> None:
    now = timezone.now()
    if how == "delete":
        release.delete()
        return
    if how == "withdrawn":
        release.status, release.withdrawn_at = Status.WITHDRAWN, now
    elif how in ("draft", "review"):
        release.status = how
    elif how == "rescheduled":
        release.published_at = now + timedelta(days=1)
    elif how == "embargoed":
        release.embargoed_until = now + timedelta(hours=2)
    release.save()


TAKEDOWNS = ["draft", "review", "withdrawn", "rescheduled", "embargoed", "delete"]


@pytest.mark.django_db
@pytest.mark.parametrize("how", TAKEDOWNS)
@pytest.mark.parametrize("url", ["/releases/", "/", "/feeds/releases.atom", "release"])
def test_right_after_a_takedown_no_earlier_page_stands_in(client, public, how, url, monkeypatch):
    """Before anyone has rendered the pages of the state after a release left public
    view, a reader racing another process's render never gets a page stored before it
    (found by bench/faults.py: a release back to draft, served as "previous" for a
    moment), lists and feeds included, not only the release's own page."""
    monkeypatch.setattr(pagecache, "WAIT_SECONDS", 0.2)
    shared = LocMemCache(f"pagecache-test-takedown-{how}-{url}", {})
    pagecache._cache = pagecache.ResponseCache(8 * 1024 * 1024, shared)
    own_page = url == "release"
    url = public.get_absolute_url() if own_page else url
    assert b"Harbour reopens" in client.get(url).content
    url_key = next(k for k in shared._cache if ":page:last:" in k).split(":page:last:")[1]

    _take_down(public, how)
    _claim_by_another_process(shared, url_key)
    for cache in (pagecache._cache, pagecache.ResponseCache(8 * 1024 * 1024, shared)):
        pagecache._cache = cache  # this process, then another with nothing of its own
        response = client.get(url)
        assert response.get(CACHE) != "previous"
        if own_page:  # gone (a 410 names the withdrawn release, and says so)
            assert response.status_code in (404, 410)
        else:
            assert b"Harbour reopens" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "takedown"),
    [
        (lambda r: setattr(r, "headline", "Harbour reopens on Monday"), False),
        (lambda r: setattr(r, "status", Status.DRAFT), True),
        (lambda r: setattr(r, "published_at", timezone.now() + timedelta(days=1)), True),
        (lambda r: setattr(r, "embargoed_until", timezone.now() - timedelta(days=1)), False),
    ],
)
def test_only_a_write_that_takes_a_release_out_of_view_is_a_takedown(public, change, takedown):
    before = pagecache.public_state().takedown
    change(public)
    public.save()
    assert (pagecache.public_state().takedown != before) is takedown


@pytest.mark.django_db
def test_saving_a_release_never_public_is_no_takedown(db):
    draft = ReleaseFactory(status=Status.DRAFT)
    scheduled = ReleaseFactory(published_at=timezone.now() + timedelta(days=2))
    before = pagecache.public_state().takedown
    for release in (draft, scheduled, Release.objects.get(pk=draft.pk)):
        release.headline = "Still not out"
        release.save()
    draft.status = Status.PUBLISHED  # and publishing one is none either
    draft.save()
    assert pagecache.public_state().takedown == before


@pytest.mark.django_db
def test_the_previous_page_is_the_one_any_process_stored_last(client, public):
    """A process's own copy of a URL's last page may be older than the one another
    process stored since: the newer one stands in (found by bench/faults.py)."""
    shared = LocMemCache("pagecache-test-latest", {})
    this = pagecache.ResponseCache(8 * 1024 * 1024, shared)
    other = pagecache.ResponseCache(8 * 1024 * 1024, shared)
    pagecache._cache = this
    client.get("/releases/")  # this process keeps the first version
    url_key = next(k for k in shared._cache if ":page:last:" in k).split(":page:last:")[1]
    public.headline = "Harbour reopens a week early"
    public.save()
    pagecache._cache = other
    client.get("/releases/")  # another process renders and stores the second
    public.headline = "Harbour reopens two weeks early"
    public.save()
    _claim_by_another_process(shared, url_key)  # a third render is under way elsewhere
    pagecache._cache = this

    response = client.get("/releases/")

    assert response[CACHE] == "previous"
    assert b"a week early" in response.content


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_readers_in_one_process_render_once(public, page_cache, monkeypatch):
    from django.test import Client

    renders = []
    real = pagecache.PublicPageCacheMiddleware._render

    def counting(self, request, cache, key, url, token):
        renders.append(key)
        return real(self, request, cache, key, url, token)

    monkeypatch.setattr(pagecache.PublicPageCacheMiddleware, "_render", counting)
    page_cache.local.clear()
    results = []

    def read():
        try:
            results.append(Client().get("/releases/")[CACHE])
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=read) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results.count("miss") == 1
    assert set(results) <= {"miss", "hit", "previous"}


@pytest.mark.django_db
def test_the_shared_cache_down_still_serves_every_page(client, public):
    class Down:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("redis is down")

            return fail

    pagecache._cache = pagecache.ResponseCache(8 * 1024 * 1024, Down())
    first, second = client.get("/releases/"), client.get("/releases/")
    assert first.status_code == second.status_code == 200
    assert second[CACHE] == "hit"  # from this process's level


def test_the_local_level_is_bounded_in_bytes():
    lru = pagecache._LRU(10_000)
    for n in range(50):
        lru.set(str(n), pagecache.Entry("t", 200, (), b"x" * 1000))
    assert lru.bytes <= 10_000
    assert "49" in lru.entries and "0" not in lru.entries


@pytest.mark.django_db
def test_the_state_is_one_query(django_assert_num_queries, public):
    with django_assert_num_queries(1):
        pagecache.public_state()
    before = pagecache.public_state()
    public.save()
    assert pagecache.public_state() != before


# -- a change to one release retires the pages that show it, and no others ------------------


@pytest.fixture
def five(db, settings):
    """Five public releases, a day apart, two to a list page (newest first)."""
    settings.NEWSROOM_PAGE_SIZE = 2
    now = timezone.now()
    return [
        ReleaseFactory(headline=f"Release number {n}", published_at=now - timedelta(days=n))
        for n in range(5)
    ]


def states(client, urls) -> dict:
    return {url: client.get(url)[CACHE] for url in urls}


@pytest.mark.django_db
def test_editing_one_release_retires_only_the_pages_that_show_it(client, five):
    edited, neighbour, far = five[3], five[2], five[0]
    pages = {
        "edited": edited.get_absolute_url(),
        "neighbour": neighbour.get_absolute_url(),  # links to the edited one
        "far": far.get_absolute_url(),
        "list_showing_it": "/releases/?page=2",  # releases 2 and 3
        "list_not_showing_it": "/releases/",  # releases 0 and 1
        "feed": "/feeds/releases.atom",
    }
    states(client, pages.values())
    assert set(states(client, pages.values()).values()) == {"hit"}

    edited.headline = "Release number 3, corrected"
    edited.save()

    after = states(client, pages.values())
    assert after[pages["edited"]] == "miss"
    assert after[pages["neighbour"]] == "miss"
    assert after[pages["list_showing_it"]] == "miss"
    assert after[pages["feed"]] == "miss"
    assert after[pages["far"]] == "hit"
    assert after[pages["list_not_showing_it"]] == "hit"
    assert b"Release number 3, corrected" in client.get("/releases/?page=2").content
    assert b"Release number 3, corrected" in client.get(neighbour.get_absolute_url()).content


@pytest.mark.django_db
def test_a_checked_page_is_one_query_again(client, five):
    client.get("/releases/")
    five[4].body = "<p>New text.</p>"
    five[4].save()  # not on page 1
    assert client.get("/releases/")[CACHE] == "hit"  # checked: two queries, stored again

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/releases/")[CACHE] == "hit"

    assert len(queries) == 1


@pytest.mark.django_db
def test_working_on_a_draft_retires_no_public_page(client, five):
    draft = ReleaseFactory(headline="Merger draft", draft=True)
    urls = ["/", "/releases/", five[0].get_absolute_url(), "/feeds/releases.atom", "/sitemap.xml"]
    states(client, urls)

    for text in ["<p>One.</p>", "<p>Two.</p>"]:
        draft.body = text
        draft.save()
    draft.status = Status.REVIEW
    draft.save()

    assert set(states(client, urls).values()) == {"hit"}


@pytest.mark.django_db
def test_placing_a_release_retires_every_page(client, five):
    urls = ["/releases/", "/releases/?page=3", five[0].get_absolute_url()]
    states(client, urls)

    five[4].published_at = timezone.now()  # moves it to the top of the list
    five[4].save()

    assert set(states(client, urls).values()) == {"miss"}
    assert b"Release number 4" in client.get("/releases/").content


@pytest.mark.django_db
def test_a_search_is_retired_by_any_edit(client, five):
    client.get("/releases/?q=harbour")
    assert b"Release number 4" not in client.get("/releases/?q=harbour").content

    five[4].body = "<p>The harbour reopens.</p>"
    five[4].save()

    response = client.get("/releases/?q=harbour")
    assert response[CACHE] == "miss"
    assert b"Release number 4" in response.content


@pytest.mark.django_db
def test_a_new_attachment_retires_its_release_page_only(client, five, media_root):
    from django.core.files.base import ContentFile

    from releases.models import Attachment

    urls = [five[1].get_absolute_url(), five[4].get_absolute_url()]
    states(client, urls)

    attachment = Attachment(release=five[1], title="Fact sheet", position=0)
    attachment.file.save("facts.pdf", ContentFile(b"%PDF-1.4\n"))

    after = states(client, urls)
    assert after == {urls[0]: "miss", urls[1]: "hit"}
    assert b"Fact sheet" in client.get(urls[0]).content


# -- pages showing facets of an earlier state -----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_page_with_the_previous_facet_counts_is_kept_only_a_moment(
    client, page_cache, settings, monkeypatch
):
    import threading

    from django.core.cache import cache

    monkeypatch.setattr(pagecache, "STALE_SECONDS", 0.3)
    settings.NEWSROOM_FACETS_IN_BACKGROUND = True  # as in production (a thread's connection)
    cache.clear()
    ReleaseFactory(headline="Harbour reopens after the storm", tags=["harbours"])
    assert client.get("/releases/")[CACHE] == "miss"  # its facets are now the "last" ones

    ReleaseFactory(headline="Ferry timetable changes", tags=["ferries"])
    stale = client.get("/releases/")

    # The list is current, the counts are the previous state's, and the page is not kept.
    assert b"Ferry timetable changes" in stale.content
    assert b"/releases/?tag=ferries" not in stale.content
    assert stale[pagecache.STALE_HEADER] == "facets"
    assert stale[CACHE] == "stale"
    assert "ETag" not in stale and "Last-Modified" not in stale
    # Readers arriving together share that render: no stampede of renders.
    together = client.get("/releases/")
    assert (together[CACHE], together[pagecache.STALE_HEADER]) == ("hit", "facets")
    assert together.content == stale.content
    previous = {k: e for k, e in page_cache.local.entries.items() if ":page:last:" in k}
    assert previous and not any(b"Ferry timetable" in e.body for e in previous.values())

    for thread in threading.enumerate():
        if thread.name == "newsroom-facets":
            thread.join(timeout=10)
    time.sleep(0.35)  # the stale page's moment is over
    fresh = client.get("/releases/")  # the thread has stored the new counts
    assert fresh[CACHE] == "miss"
    assert pagecache.STALE_HEADER not in fresh
    assert b"/releases/?tag=ferries" in fresh.content
    assert client.get("/releases/")[CACHE] == "hit"
