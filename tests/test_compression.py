"""Gzip for anonymous public pages and feeds; nothing compressed that carries a secret.

The rule and why (BREACH) are in ``releases/compression.py`` and docs/deployment.md.
"""

import gzip

import pytest
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils.cache import has_vary_header

from releases.compression import PublicGZipMiddleware
from tests.factories import AuthorFactory, OrganizationFactory, ReleaseFactory, editor

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def release():
    return ReleaseFactory(
        headline="Reef survey finds recovery",
        organizations=[OrganizationFactory(slug="ocean-trust")],
        author=AuthorFactory(slug="sam-reporter"),
        tags=["Oceans"],
    )


def public_urls(release) -> list[str]:
    return [
        "/",
        "/releases/",
        "/releases/?q=reef",
        release.get_absolute_url(),
        "/tags/",
        "/tags/oceans/",
        "/organizations/ocean-trust/",
        "/authors/sam-reporter/",
        f"/releases/{release.published_at:%Y}/",
        "/feeds/releases.atom",
        "/feeds/releases.rss?tag=oceans",
        "/sitemap.xml",
        "/api/releases/",
        "/no/such/page/",
    ]


def assert_compressed(response, plain: bytes) -> None:
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == plain
    assert has_vary_header(response, "Accept-Encoding")


def assert_not_compressed(response) -> None:
    assert not response.has_header("Content-Encoding")
    response.content.decode()  # plain text


def test_anonymous_public_pages_and_feeds_are_gzipped_when_accepted(client, release):
    for url in public_urls(release):
        plain = client.get(url)
        assert_not_compressed(plain)
        assert has_vary_header(plain, "Accept-Encoding"), url
        compressed = client.get(url, **GZIP)
        assert compressed.status_code == plain.status_code, url
        assert_compressed(compressed, plain.content)
        assert len(compressed.content) < len(plain.content), url


def test_no_compression_without_accept_encoding_gzip(client, release):
    for encoding in ("", "identity", "br", "deflate"):
        response = client.get("/releases/", HTTP_ACCEPT_ENCODING=encoding)
        assert_not_compressed(response)


def test_the_admin_is_never_compressed(client):
    # The login page holds a CSRF token; every other admin page is a staff user's.
    response = client.get(reverse("admin:login"), **GZIP)
    assert response.status_code == 200
    assert_not_compressed(response)

    client.force_login(editor())
    for url in (reverse("admin:index"), reverse("admin:releases_release_changelist")):
        response = client.get(url, **GZIP)
        assert response.status_code == 200
        assert_not_compressed(response)


def test_a_logged_in_user_gets_no_compressed_page(client, release):
    client.force_login(editor())
    for url in public_urls(release):
        assert_not_compressed(client.get(url, **GZIP))


def test_a_staff_preview_is_never_compressed(client):
    draft = ReleaseFactory(draft=True)
    client.force_login(editor())
    response = client.get(draft.get_absolute_url(), **GZIP)
    assert response.status_code == 200
    assert_not_compressed(response)


def test_any_session_cookie_turns_compression_off(client, release, settings):
    client.cookies[settings.SESSION_COOKIE_NAME] = "whatever"
    assert_not_compressed(client.get("/releases/", **GZIP))


def run(view, request):
    """``view`` behind the CSRF middleware and the compression middleware."""
    return PublicGZipMiddleware(CsrfViewMiddleware(view))(request)


def test_a_page_that_uses_its_csrf_token_is_not_compressed():
    def form_page(request):
        html = Template(
            "<form method=post>{% csrf_token %}<input name=q value='{{ q }}'></form>" * 20
        )
        return HttpResponse(html.render(Context({"csrf_token": get_token(request), "q": "x"})))

    for cookies in ({}, {"csrftoken": "a" * 32}):
        request = RequestFactory().get("/contact/", **GZIP)
        request.COOKIES.update(cookies)
        response = run(form_page, request)
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert_not_compressed(response)


@pytest.mark.parametrize(
    "headers",
    [
        {"Cache-Control": "private, max-age=60"},
        {"Cache-Control": "no-store"},
        {"Vary": "Cookie"},
    ],
)
def test_a_private_or_per_client_response_is_not_compressed(headers):
    def page(request):
        return HttpResponse("<p>Your own page.</p>" * 50, headers=headers)

    assert_not_compressed(run(page, RequestFactory().get("/mine/", **GZIP)))


def test_a_post_response_is_not_compressed():
    def page(request):
        return HttpResponse(f"<p>You sent {request.POST.get('q')}</p>" * 50)

    request = RequestFactory().post("/search/", {"q": "reef"}, **GZIP)
    request._dont_enforce_csrf_checks = True
    assert_not_compressed(run(page, request))


def test_a_cookie_set_by_a_response_turns_compression_off():
    def page(request):
        response = HttpResponse("<p>Welcome.</p>" * 50)
        response.set_cookie("seen", "1")
        return response

    assert_not_compressed(run(page, RequestFactory().get("/", **GZIP)))


@pytest.mark.parametrize(
    "url",
    ["/releases/", "/tags/oceans/", "/feeds/releases.atom", "/feeds/releases.rss?tag=oceans"],
)
def test_a_gzip_client_revalidates_with_the_weak_etag_and_gets_a_304(client, release, url):
    first = client.get(url, **GZIP)
    assert first["Content-Encoding"] == "gzip"
    etag = first["ETag"]
    assert etag.startswith('W/"')

    again = client.get(url, HTTP_IF_NONE_MATCH=etag, **GZIP)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert has_vary_header(again, "Accept-Encoding")

    # A client without gzip keeps the strong ETag, and either form validates.
    plain = client.get(url)
    assert plain["ETag"] == etag.removeprefix("W/")
    assert client.get(url, HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_release_page_revalidates_when_compressed(client, release):
    url = release.get_absolute_url()
    first = client.get(url, **GZIP)
    assert first["Content-Encoding"] == "gzip"
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **GZIP).status_code == 304


def test_images_pdfs_and_attachments_are_sent_as_they_are(client, release, settings, tmp_path):
    """Already-compressed formats are never gzipped again (CPU for nothing), and keep their
    Content-Length."""
    from tests.test_media import _release_with_files

    settings.MEDIA_ROOT = tmp_path
    files = _release_with_files()
    urls = [files["featured image"], files["attachment"], files["organization logo"]]
    urls.append(reverse("releases:download_pdf", kwargs={"slug": release.slug}))
    for url in urls:
        response = client.get(url, **GZIP)
        assert response.status_code == 200, url
        assert not response.has_header("Content-Encoding"), url
        assert response["Content-Type"] in {"image/png", "application/pdf"}, url


def test_compressible_types_are_text_json_and_xml_feeds():
    from releases.compression import compressible

    for content_type in (
        "text/html; charset=utf-8",
        "application/json",
        "application/atom+xml; charset=utf-8",
        "application/rss+xml",
        "application/xml",
    ):
        assert compressible(HttpResponse(content_type=content_type)), content_type
    for content_type in ("image/png", "application/pdf", "application/zip", "image/webp"):
        assert not compressible(HttpResponse(content_type=content_type)), content_type
