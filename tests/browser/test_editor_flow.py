"""The foundation's promise, in a real browser: an editor builds and publishes a release
from nothing in the admin; a writer can draft but not publish."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group

from releases.models import Release, Status
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery staple"


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def add(page, live_server, model, fields):
    page.goto(f"{live_server.url}/admin/releases/{model}/add/")
    for selector, value in fields.items():
        page.fill(selector, value)
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")


def pick(page, container_id, text):
    """Choose ``text`` in a Django admin autocomplete (select2) widget."""
    page.locator(f"#select2-{container_id}-container").locator("xpath=..").click()
    # The open box's search field: the tag box's own is always on the page.
    page.fill(".select2-container--open .select2-search__field", text)
    page.locator(".select2-results__option", has_text=text).first.click()


def editorial_groups():
    """The groups as the data migrations make them: a transactional test flushes them.

    The migrations mark app configs as having models while they create permissions;
    on the live registry the original markers are put back afterwards.
    """
    configs = list(django_apps.get_app_configs())
    markers = [config.models_module for config in configs]
    try:
        for name, function in (
            ("0002_editorial_groups", "create_groups"),
            ("0004_group_permissions_for_release_links", "grant"),
        ):
            migration = importlib.import_module(f"releases.migrations.{name}")
            getattr(migration, function)(django_apps, None)
    finally:
        for config, marker in zip(configs, markers, strict=True):
            config.models_module = marker


def staff(name, group):
    editorial_groups()
    user = UserFactory(username=name, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def test_an_editor_creates_previews_and_publishes_a_release(live_server, new_page):
    staff("edna", "Editors")
    page = new_page()
    log_in(page, live_server, "edna")
    add(
        page,
        live_server,
        "organization",
        {
            "#id_name": "Harbour City Water Board",
            "#id_short_name": "HCWB",
            ".field-boilerplate .tiptap": "HCWB runs the city's water.",
        },
    )
    add(
        page,
        live_server,
        "contact",
        {
            "#id_name": "Mara Quell",
            "#id_role": "Press officer",
            "#id_email": "press@hcwb.example.org",
            "#id_phone": "+44 20 7946 0321",
        },
    )
    add(
        page,
        live_server,
        "author",
        {"#id_name": "Ola Finch", ".field-bio .tiptap": "Ola covers water."},
    )

    page.goto(f"{live_server.url}/admin/releases/release/add/")
    # Open the collapsed sections of the form, as an editor would.
    page.eval_on_selector_all("details", "sections => sections.forEach(s => s.open = true)")
    page.fill("#id_headline", "Harbour City water is cleaner than ever")
    page.fill("#id_dateline", "Harbour City")
    page.fill("#id_summary", "Tests show the cleanest water on record.")
    page.fill(".field-body .tiptap", "The board tested every district.")  # the prose editor
    page.fill("#id_tags", "water, health")
    pick(page, "id_author", "Ola Finch")
    pick(page, "id_releaseorganization_set-0-organization", "Harbour City Water Board")
    pick(page, "id_releasecontact_set-0-contact", "Mara Quell")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    release = Release.objects.get()
    assert release.status == Status.DRAFT
    assert sorted(release.tags.names()) == ["health", "water"]
    assert release.issuer.short_name == "HCWB"
    assert [c.name for c in release.contacts.all()] == ["Mara Quell"]

    # "View on site" shows the draft to staff, under its banner, never cached.
    response = page.goto(f"{live_server.url}{release.get_absolute_url()}")
    assert response.status == 200
    assert "no-cache" in response.headers["cache-control"]
    assert "DRAFT" in page.inner_text(".preview-banner")
    assert "About Harbour City Water Board" in page.content()

    anonymous = new_page()
    assert anonymous.goto(f"{live_server.url}{release.get_absolute_url()}").status == 404

    page.goto(f"{live_server.url}/admin/releases/release/")
    page.check(f"input[name=_selected_action][value='{release.pk}']")
    page.select_option("select[name=action]", "publish_now")
    page.click("button[name=index]")
    # "Publish now" asks first; this release passes the pre-publish checks.
    assert page.locator(".prepublish-problems").count() == 0
    page.click("input[name=apply]")
    page.wait_for_selector(".messagelist .success")

    release.refresh_from_db()
    assert release.is_published
    public = anonymous.goto(f"{live_server.url}{release.get_absolute_url()}")
    assert public.status == 200
    assert "Harbour City water is cleaner than ever" in anonymous.inner_text("h1")


def test_a_writer_can_draft_but_not_publish(live_server, new_page):
    staff("wren", "Writers")
    page = new_page()
    log_in(page, live_server, "wren")
    page.goto(f"{live_server.url}/admin/releases/release/add/")
    status_options = page.locator("#id_status option").all_inner_texts()
    assert status_options == ["Draft", "In review"]
    page.fill("#id_headline", "A draft by a writer")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    release = Release.objects.get()
    assert release.status == Status.DRAFT

    page.goto(f"{live_server.url}/admin/releases/release/")
    actions = page.locator("select[name=action] option").all_inner_texts()
    assert not any(re.search(r"publish|schedule|withdraw", a, re.I) for a in actions)
