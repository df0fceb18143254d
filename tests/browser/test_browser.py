"""The public site in a real browser: small screens, JavaScript on and off, keyboard, print."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from releases.models import Release
from tests.factories import ContactFactory, OrganizationFactory, ReleaseFactory

# The live server runs in another thread: data must be committed to be seen there.
pytestmark = pytest.mark.django_db(transaction=True)

LONG_URL = "https://example.org/reports/2025/" + "very-long-path-segment-" * 6 + "final.pdf"


@pytest.fixture
def release():
    now = timezone.now()
    ReleaseFactory(
        headline="Budget report for the coming year", published_at=now - timedelta(days=2)
    )
    return ReleaseFactory(
        headline="Reef survey finds a remarkable recovery of coral cover",
        subheadline="Coral cover is up by a third in five years",
        dateline="Cairns",
        body=(
            "<p>The reef is recovering, scientists said. Read the full report at "
            f"<a href='{LONG_URL}'>{LONG_URL}</a>.</p>"
            "<blockquote><p>“This is the best news in a decade,” said the lead diver.</p>"
            "</blockquote><table><tr><th>Year</th><th>Cover</th><th>Change</th>"
            "<th>Northern sector</th><th>Southern sector</th></tr>"
            "<tr><td>2020</td><td>12%</td><td>—</td><td>10%</td><td>14%</td></tr></table>"
        ),
        published_at=now - timedelta(hours=1),
        organizations=[OrganizationFactory(name="Great Barrier Reef Marine Research Institute")],
        contacts=[
            ContactFactory(name="Kim Press", email="press.office@example.org", phone="+61255503926")
        ],
        tags=["oceans", "coral-reefs-and-marine-biodiversity"],
    )


def url(live_server, path: str) -> str:
    return f"{live_server.url}{path}"


@pytest.mark.parametrize("width", [320, 375])
def test_release_page_fits_a_small_phone_without_horizontal_scrolling(
    live_server, new_page, release, width
):
    page = new_page(width=width)
    page.goto(url(live_server, release.get_absolute_url()))
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"the page is {scroll_width}px wide on a {width}px screen"


def test_home_and_list_fit_a_small_phone(live_server, new_page, release):
    page = new_page(width=320)
    for path in (reverse("releases:home"), reverse("releases:list")):
        page.goto(url(live_server, path))
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


def test_contact_email_becomes_a_working_mailto_link_with_javascript(
    live_server, new_page, release
):
    page = new_page()
    page.goto(url(live_server, release.get_absolute_url()))
    link = page.locator(".contact-email a")
    assert link.get_attribute("href") == "mailto:press.office@example.org"
    assert link.inner_text() == "press.office@example.org"
    assert page.locator(".protected-email").count() == 0


def test_without_javascript_the_readable_email_stays(live_server, new_page, release):
    page = new_page(javascript=False)
    page.goto(url(live_server, release.get_absolute_url()))
    fallback = page.locator(".contact-email .protected-email")
    assert fallback.is_visible()
    assert fallback.inner_text() == "press [dot] office [at] example [dot] org"
    assert page.locator("a[href^='mailto:']").count() == 0


def test_without_javascript_the_search_form_submits_and_shows_results(
    live_server, new_page, release
):
    page = new_page(javascript=False)
    page.goto(url(live_server, reverse("releases:home")))
    page.get_by_role("searchbox", name="Search releases").fill("reef")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert "q=reef" in page.url
    main = page.locator("main")
    assert main.get_by_role("link", name=release.headline).is_visible()
    assert main.get_by_text("Budget report for the coming year").count() == 0


def test_tab_from_the_top_focuses_a_visible_skip_link_that_moves_focus_to_main(
    live_server, new_page, release
):
    page = new_page(width=375)
    page.goto(url(live_server, release.get_absolute_url()))
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const e = document.activeElement; const r = e.getBoundingClientRect();"
        " return {cls: e.className, href: e.getAttribute('href'), top: r.top, left: r.left,"
        " width: r.width, height: r.height, bg: getComputedStyle(e).backgroundColor}; })()"
    )
    assert focused["cls"] == "skip-link" and focused["href"] == "#main"
    assert focused["top"] >= 0 and focused["left"] >= 0
    assert focused["width"] > 0 and focused["height"] > 0
    assert page.locator(".skip-link").is_visible()

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_focused_links_get_a_visible_focus_style(live_server, new_page, release):
    page = new_page()
    page.goto(url(live_server, release.get_absolute_url()))
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site name
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.backgroundColor, s.boxShadow]; })()"
    )
    assert style[0] == "rgb(255, 221, 0)"
    assert "rgb(11, 12, 12)" in style[1]


def test_reduced_motion_turns_off_smooth_scrolling(live_server, new_page, release):
    page = new_page(reduced_motion="reduce")
    page.goto(url(live_server, release.get_absolute_url()))
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"


def test_print_hides_the_site_chrome_and_writes_out_body_links(live_server, new_page, release):
    page = new_page()
    page.goto(url(live_server, release.get_absolute_url()))
    page.emulate_media(media="print")
    hidden = page.evaluate(
        "['.site-header', '.site-footer', '.release-pager, .site-search'].map("
        "s => [...document.querySelectorAll(s)].every(e => getComputedStyle(e).display === 'none'))"
    )
    assert all(hidden)
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.release-body a'), '::after').content"
    )
    assert LONG_URL in after
    avoid = page.evaluate("getComputedStyle(document.querySelector('.contact')).breakInside")
    assert avoid == "avoid"


def test_screenshots_of_home_and_release_pages(live_server, new_page, screenshots_dir):
    """Pictures for a person to judge the design by; also a smoke test of the demo data."""
    call_command("load_demo", verbosity=0)
    release = Release.objects.published().newest_first().first()
    for width in (1280, 375):
        page = new_page(width=width)
        for name, path in (
            ("home", reverse("releases:home")),
            ("release", release.get_absolute_url()),
        ):
            page.goto(url(live_server, path))
            target = screenshots_dir / f"{name}-{width}.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 10_000
            assert page.evaluate("document.documentElement.scrollWidth") <= width
