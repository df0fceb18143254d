"""The editors' admin: changelist, the release form with its inlines, lifecycle actions.

Who may do what (anonymous / writer / editor / superuser) is in ``test_permissions``.
"""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from releases.models import Release, ReleaseContact, ReleaseOrganization, Status
from tests.factories import (
    AuthorFactory,
    ContactFactory,
    OrganizationFactory,
    ReleaseFactory,
    editor,
    ready_release,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:releases_release_changelist")
ADD = reverse("admin:releases_release_add")

INLINE_PREFIXES = {
    "organizations": ("releaseorganization_set", "organization"),
    "contacts": ("releasecontact_set", "contact"),
}


def change_url(release) -> str:
    return reverse("admin:releases_release_change", args=[release.pk])


def split_datetime(value) -> tuple[str, str]:
    """The two inputs of the admin's date/time widget, in the current time zone."""
    if value is None:
        return "", ""
    local = timezone.localtime(value)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def release_form_data(release=None, *, organizations=(), contacts=(), **fields) -> dict:
    """POST data of the release change form, as the browser sends it.

    Starts from ``release`` (or a new draft) and its current organization and contact
    rows; ``organizations`` and ``contacts`` add new rows after them, numbered in the
    order given unless an item is an ``(item, position)`` pair (``""`` = no position).
    ``published_at`` and ``embargoed_until`` may be given as datetimes.
    """
    release = release or Release(headline="Council opens new library")
    data = {
        "status": release.status,
        "headline": release.headline,
        "subheadline": release.subheadline,
        "slug": release.slug,
        "dateline": release.dateline,
        "summary": release.summary,
        "body": release.body,
        "author": release.author_id or "",
        "tags": ", ".join(release.tags.names()) if release.pk else "",
        "featured_image_alt": release.featured_image_alt,
        "featured_image_caption": release.featured_image_caption,
        "featured_image_credit": release.featured_image_credit,
        "language": release.language,
        "source_url": release.source_url,
        "withdrawal_reason": release.withdrawal_reason,
    }
    times = {
        "published_at": fields.pop("published_at", release.published_at),
        "embargoed_until": fields.pop("embargoed_until", release.embargoed_until),
    }
    for name, value in times.items():
        data[f"{name}_0"], data[f"{name}_1"] = split_datetime(value)
    new_rows = {"organizations": organizations, "contacts": contacts}
    links = {"organizations": ReleaseOrganization, "contacts": ReleaseContact}
    for key, (prefix, field) in INLINE_PREFIXES.items():
        existing = list(links[key].objects.filter(release=release)) if release.pk else []
        for i, link in enumerate(existing):
            data[f"{prefix}-{i}-id"] = link.pk
            data[f"{prefix}-{i}-release"] = release.pk
            data[f"{prefix}-{i}-{field}"] = getattr(link, f"{field}_id")
            data[f"{prefix}-{i}-position"] = link.position
        for i, item in enumerate(new_rows[key], start=len(existing)):
            item, position = item if isinstance(item, tuple) else (item, i)
            data[f"{prefix}-{i}-{field}"] = item.pk
            data[f"{prefix}-{i}-position"] = position
        data.update(
            management_form(prefix, total=len(existing) + len(new_rows[key]), initial=len(existing))
        )
    data.update(management_form("attachments", total=0))
    data.update(management_form("corrections", total=0))
    data.update(fields)
    return data


def management_form(prefix: str, *, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def run_action(client, action: str, releases, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [r.pk for r in releases], **extra},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# -- changelist -------------------------------------------------------------------


def test_changelist_shows_state_issuer_author_and_tags(editor_client):
    first, second = OrganizationFactory(name="Zeta Council"), OrganizationFactory(name="Alpha Lab")
    ReleaseFactory(
        headline="Zeta leads", organizations=[first, second], tags=["health"], scheduled=True
    )
    response = editor_client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zeta leads" in html
    assert "Scheduled" in html
    # The issuer is the first organization in issuing order, not alphabetically.
    assert '<td class="field-issuer"><span title="Zeta Council">' in html
    assert "health" in html


def test_changelist_query_count_does_not_grow_with_the_number_of_rows(editor_client):
    organizations = OrganizationFactory.create_batch(2)

    def add_releases(n):
        for _ in range(n):
            ReleaseFactory(organizations=organizations, tags=["health", "science"])

    add_releases(3)
    editor_client.get(CHANGELIST)  # warm the per-process caches (content types)
    with CaptureQueriesContext(connection) as three_rows:
        response = editor_client.get(CHANGELIST)
    assert response.context["cl"].result_count == 3

    add_releases(27)
    with CaptureQueriesContext(connection) as thirty_rows:
        response = editor_client.get(CHANGELIST)
    assert response.context["cl"].result_count == 30
    assert len(thirty_rows) == len(three_rows), [q["sql"] for q in thirty_rows]


def test_changelist_search_finds_text_in_headline_summary_and_body(editor_client):
    ReleaseFactory(headline="Bridge reopens", body="<p>The river crossing is back.</p>")
    ReleaseFactory(headline="Unrelated", summary="Nothing about that.")
    for query, expected in (("bridge", 1), ("crossing", 1), ("nothing about", 1), ("zzz", 0)):
        response = editor_client.get(CHANGELIST, {"q": query})
        assert response.status_code == 200
        assert response.context["cl"].result_count == expected, query


@pytest.mark.parametrize(
    ("state", "headline"),
    [
        ("draft", "A draft"),
        ("review", "In review"),
        ("scheduled", "Scheduled"),
        ("embargoed", "Embargoed"),
        ("published", "Public"),
        ("withdrawn", "Withdrawn"),
    ],
)
def test_changelist_filters_by_state(editor_client, state, headline):
    ReleaseFactory(headline="A draft", draft=True)
    ReleaseFactory(headline="In review", in_review=True)
    ReleaseFactory(headline="Scheduled", scheduled=True)
    ReleaseFactory(headline="Embargoed", embargoed=True)
    ReleaseFactory(headline="Public")
    ReleaseFactory(headline="Withdrawn", withdrawn=True)
    response = editor_client.get(CHANGELIST, {"state": state})
    assert response.status_code == 200
    assert [r.headline for r in response.context["cl"].result_list] == [headline]


def test_changelist_filters_by_organization_author_tag_and_date_respond(editor_client):
    organization = OrganizationFactory()
    author = AuthorFactory()
    release = ReleaseFactory(organizations=[organization], author=author, tags=["energy"])
    ReleaseFactory(draft=True)
    tag_id = release.tags.get().pk
    year = timezone.localtime(release.published_at).year
    for params in (
        {"organizations__id__exact": organization.pk},
        {"author__id__exact": author.pk},
        {"tags__id__exact": tag_id},
        {"published_at__year": year},
        # The “Past 7 days” link of the date filter.
        {"published_at__gte": str(timezone.localtime() - timedelta(days=7))},
        {"state": "published", "tags__id__exact": tag_id, "q": "Example"},
    ):
        response = editor_client.get(CHANGELIST, params)
        assert response.status_code == 200, params
        assert list(response.context["cl"].result_list) == [release], params


def test_changelist_links_every_release_to_its_page_on_the_site(editor_client):
    draft = ReleaseFactory(draft=True)
    response = editor_client.get(CHANGELIST)
    assert f'href="{draft.get_absolute_url()}"' in response.content.decode()


# -- the release form ------------------------------------------------------------


def test_editor_creates_a_release_with_organizations_and_contacts_in_the_chosen_order(
    editor_client,
):
    issuer, partner = OrganizationFactory(name="Zeta Council"), OrganizationFactory(name="Alpha")
    first_contact, second_contact = ContactFactory(name="Zoe"), ContactFactory(name="Adam")
    author = AuthorFactory()
    response = editor_client.post(
        ADD,
        release_form_data(
            organizations=[issuer, partner],
            contacts=[first_contact, second_contact],
            author=author.pk,
            tags="libraries, culture",
            dateline="Leeds",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    release = Release.objects.get(headline="Council opens new library")
    assert release.status == Status.DRAFT
    assert release.author == author
    assert sorted(release.tags.names()) == ["culture", "libraries"]
    links = ReleaseOrganization.objects.filter(release=release)
    assert [link.organization for link in links] == [issuer, partner]
    assert [link.contact for link in ReleaseContact.objects.filter(release=release)] == [
        first_contact,
        second_contact,
    ]
    # The form shows them back in the same order, and the issuer comes first.
    page = editor_client.get(change_url(release)).content.decode()
    assert page.index("Zeta Council") < page.index("Alpha")


def test_a_contact_added_without_a_position_goes_after_the_others(editor_client):
    first, second, added = ContactFactory(), ContactFactory(), ContactFactory()
    release = ReleaseFactory(draft=True, contacts=[first, second])
    response = editor_client.post(
        change_url(release), release_form_data(release, contacts=[(added, "")])
    )
    assert response.status_code == 302
    links = ReleaseContact.objects.filter(release=release)
    assert [(link.contact, link.position) for link in links] == [
        (first, 0),
        (second, 1),
        (added, 2),
    ]


def test_reordering_organizations_makes_the_new_first_one_the_issuer(editor_client):
    first, second = OrganizationFactory(), OrganizationFactory()
    release = ReleaseFactory(draft=True, organizations=[first, second])
    data = release_form_data(release)
    data["releaseorganization_set-0-position"] = 5
    response = editor_client.post(change_url(release), data)
    assert response.status_code == 302
    links = ReleaseOrganization.objects.filter(release=release)
    assert [(link.organization, link.position) for link in links] == [(second, 0), (first, 1)]
    changelist = editor_client.get(CHANGELIST).content.decode()
    assert f'title="{second.name}"' in changelist


def test_the_same_organization_twice_is_a_form_error_not_a_crash(editor_client):
    organization = OrganizationFactory()
    release = ReleaseFactory(draft=True, organizations=[organization])
    response = editor_client.post(
        change_url(release), release_form_data(release, organizations=[organization])
    )
    assert response.status_code == 200
    assert ReleaseOrganization.objects.filter(release=release).count() == 1


def test_saving_sets_created_by_and_updated_by(client):
    creator, changer = editor(), editor()
    client.force_login(creator)
    client.post(ADD, release_form_data())
    release = Release.objects.get()
    assert (release.created_by, release.updated_by) == (creator, creator)

    client.force_login(changer)
    response = client.post(change_url(release), release_form_data(release, headline="New"))
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.headline == "New"
    assert (release.created_by, release.updated_by) == (creator, changer)


def test_editor_publishes_through_the_form_with_an_empty_time_meaning_now(editor_client):
    release = ready_release(draft=True)
    before = timezone.now()
    response = editor_client.post(
        change_url(release), release_form_data(release, status="published")
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    assert before <= release.published_at <= timezone.now()
    assert release.is_published


def test_editor_schedules_through_the_form_with_a_future_time(editor_client):
    release = ready_release(draft=True)
    when = (timezone.now() + timedelta(days=2)).replace(microsecond=0, second=0)
    response = editor_client.post(
        change_url(release), release_form_data(release, status="published", published_at=when)
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert (release.status, release.published_at) == (Status.PUBLISHED, when)
    assert release.state_label == "Scheduled"


def test_publishing_through_the_form_goes_through_the_publish_service(editor_client, monkeypatch):
    from releases.admin import release as release_admin

    calls = []
    real = release_admin.release_publish

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(release_admin, "release_publish", spy)
    release = ready_release(draft=True)
    editor_client.post(change_url(release), release_form_data(release, status="published"))
    assert len(calls) == 1
    assert calls[0]["release"].pk == release.pk


def test_editor_withdraws_through_the_reason_page_and_returns_to_draft_through_the_form(
    editor_client,
):
    release = ReleaseFactory()
    withdraw_page = reverse("admin:releases_release_review", args=[release.pk, "withdraw"])
    editor_client.post(withdraw_page, {"reason": "Figures were wrong."})
    release.refresh_from_db()
    assert release.status == Status.WITHDRAWN
    assert release.withdrawn_at is not None

    editor_client.post(change_url(release), release_form_data(release, status="draft"))
    release.refresh_from_db()
    assert (release.status, release.withdrawn_at) == (Status.DRAFT, None)


@pytest.mark.parametrize("trait", ["draft", "published"])
def test_the_form_offers_no_withdrawal_without_the_reason_page(editor_client, trait):
    release = ReleaseFactory(**{trait: True}) if trait == "draft" else ReleaseFactory()
    response = editor_client.post(
        change_url(release), release_form_data(release, status="withdrawn")
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    release.refresh_from_db()
    assert release.status != Status.WITHDRAWN


def test_boilerplate_preview_shows_each_issuer_escaped(editor_client):
    organization = OrganizationFactory(name="Lab", boilerplate="<script>x()</script> studies")
    release = ReleaseFactory(organizations=[organization])
    html = editor_client.get(change_url(release)).content.decode()
    assert "About Lab" in html
    # Rich text since issue 9: the script is removed on save, the text kept.
    assert "<p>studies</p>" in html
    assert "x()" not in html


def test_change_form_shows_view_on_site_for_a_draft(editor_client):
    draft = ReleaseFactory(draft=True)
    content_type = ContentType.objects.get_for_model(Release)
    view_on_site = reverse("admin:view_on_site", args=[content_type.pk, draft.pk])
    response = editor_client.get(change_url(draft))
    assert view_on_site in response.content.decode()
    redirect = editor_client.get(view_on_site)
    assert redirect.status_code == 302
    assert redirect["Location"].endswith(draft.get_absolute_url())


def test_staff_preview_of_a_draft_has_the_banner_and_is_never_cached(editor_client):
    draft = ReleaseFactory(draft=True)
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "DRAFT" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_anonymous_visitor_gets_404_for_a_draft(client):
    draft = ReleaseFactory(draft=True)
    assert client.get(draft.get_absolute_url()).status_code == 404


# -- actions ----------------------------------------------------------------------


def test_publish_now_publishes_each_selected_release(editor_client):
    drafts = [ready_release(draft=True), ready_release(in_review=True)]
    response = run_action(editor_client, "publish_now", drafts, apply="Publish now")
    assert response.status_code == 200
    assert "2 releases published; public now." in messages_of(response)
    for release in drafts:
        release.refresh_from_db()
        assert release.is_published


def test_publish_now_keeps_the_time_of_a_release_that_is_already_public(editor_client):
    public = ReleaseFactory(headline="Old news")
    published_at = public.published_at
    response = run_action(editor_client, "publish_now", [public], apply="Publish now")
    assert "“Old news” is already public; its publication time is kept." in messages_of(response)
    public.refresh_from_db()
    assert public.published_at == published_at


def test_actions_are_written_to_the_release_history(editor_client):
    release = ReleaseFactory(draft=True)
    run_action(editor_client, "submit_for_review", [release])
    entry = LogEntry.objects.get(object_id=str(release.pk))
    assert entry.is_change()
    assert entry.get_change_message() == "Submitted for review (action)."


def test_changelist_lists_drafts_first_then_newest(editor_client):
    old = ReleaseFactory(published_at=timezone.now() - timedelta(days=9))
    new = ReleaseFactory()
    draft = ReleaseFactory(draft=True)
    response = editor_client.get(CHANGELIST)
    assert list(response.context["cl"].result_list) == [draft, new, old]


def test_publish_now_reports_a_release_it_cannot_publish_and_publishes_the_others(
    editor_client,
):
    gone = ReleaseFactory(withdrawn=True, headline="Old news")
    draft = ready_release(draft=True, headline="Fresh news")
    response = run_action(editor_client, "publish_now", [gone, draft], apply="Publish now")
    assert response.status_code == 200
    texts = messages_of(response)
    assert "“Fresh news” published; public now." in texts
    assert any(t.startswith("“Old news” could not be published:") for t in texts)
    gone.refresh_from_db()
    draft.refresh_from_db()
    assert (gone.status, draft.status) == (Status.WITHDRAWN, Status.PUBLISHED)


def test_schedule_asks_for_a_time_then_schedules(editor_client):
    release = ready_release(draft=True)
    page = run_action(editor_client, "schedule", [release])
    assert page.status_code == 200
    assert 'type="datetime-local"' in page.content.decode()
    release.refresh_from_db()
    assert release.status == Status.DRAFT

    when = timezone.localtime(timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    response = run_action(
        editor_client,
        "schedule",
        [release],
        apply="Schedule",
        published_at=when.strftime("%Y-%m-%dT%H:%M"),
    )
    expected = f"“{release.headline}” scheduled for {when.strftime('%-d %B %Y, %H:%M')} UTC."
    assert expected in messages_of(response)
    release.refresh_from_db()
    assert (release.status, release.published_at) == (Status.PUBLISHED, when)
    assert release.state_label == "Scheduled"


def test_schedule_rejects_a_time_in_the_past(editor_client):
    release = ReleaseFactory(draft=True)
    past = timezone.localtime(timezone.now() - timedelta(hours=1))
    response = run_action(
        editor_client,
        "schedule",
        [release],
        apply="Schedule",
        published_at=past.strftime("%Y-%m-%dT%H:%M"),
    )
    assert response.status_code == 200
    assert "Pick a time in the future" in response.content.decode()
    release.refresh_from_db()
    assert (release.status, release.published_at) == (Status.DRAFT, None)


def test_submit_for_review_moves_drafts_and_reports_the_rest(editor_client):
    draft = ReleaseFactory(draft=True)
    published = ReleaseFactory(headline="Live one")
    response = run_action(editor_client, "submit_for_review", [draft, published])
    texts = messages_of(response)
    assert "1 release submitted for review." in texts
    assert any("“Live one” could not be submitted for review" in t for t in texts)
    draft.refresh_from_db()
    assert draft.status == Status.REVIEW


def test_return_to_draft_takes_a_published_release_off_the_site(editor_client):
    release = ReleaseFactory()
    response = run_action(editor_client, "return_to_draft", [release])
    assert "1 release returned to draft." in messages_of(response)
    release.refresh_from_db()
    assert release.status == Status.DRAFT
    editor_client.logout()
    assert editor_client.get(release.get_absolute_url()).status_code == 404


def test_withdraw_records_the_reason_and_the_page_answers_410(editor_client):
    release = ReleaseFactory()
    page = run_action(editor_client, "withdraw", [release])
    assert page.status_code == 200
    assert release.headline in page.content.decode()

    response = run_action(
        editor_client, "withdraw", [release], apply="Withdraw", reason="Figures were wrong."
    )
    assert "1 release withdrawn." in messages_of(response)
    release.refresh_from_db()
    assert release.status == Status.WITHDRAWN
    assert release.withdrawal_reason == "Figures were wrong."
    editor_client.logout()
    assert editor_client.get(release.get_absolute_url()).status_code == 410


def test_duplicate_creates_a_draft_with_the_same_organizations_contacts_and_tags(editor_client):
    organizations = [OrganizationFactory(name="Zeta"), OrganizationFactory(name="Alpha")]
    contacts = [ContactFactory(name="Zoe"), ContactFactory(name="Adam")]
    original = ReleaseFactory(organizations=organizations, contacts=contacts, tags=["a", "b"])
    response = run_action(editor_client, "duplicate", [original])
    assert "1 release duplicated." in messages_of(response)

    copy = Release.objects.exclude(pk=original.pk).get()
    assert copy.status == Status.DRAFT
    assert copy.published_at is None
    assert copy.headline == f"{original.headline} (copy)"
    assert [link.organization for link in ReleaseOrganization.objects.filter(release=copy)] == (
        organizations
    )
    assert [link.contact for link in ReleaseContact.objects.filter(release=copy)] == contacts
    assert sorted(copy.tags.names()) == ["a", "b"]
    assert change_url(copy) in response.content.decode()


# -- organizations, authors, contacts -----------------------------------------------


def test_organization_changelist_counts_releases_without_a_query_per_row(editor_client):
    url = reverse("admin:releases_organization_changelist")
    busy, quiet = OrganizationFactory(name="Busy"), OrganizationFactory(name="Quiet")
    ReleaseFactory(organizations=[busy])
    ReleaseFactory(organizations=[busy, quiet])
    editor_client.get(url)
    with CaptureQueriesContext(connection) as two_rows:
        response = editor_client.get(url)
    counts = {o.name: o.release_count for o in response.context["cl"].result_list}
    assert counts == {"Busy": 2, "Quiet": 1}

    OrganizationFactory.create_batch(10)
    with CaptureQueriesContext(connection) as twelve_rows:
        editor_client.get(url)
    assert len(twelve_rows) == len(two_rows)


def test_contact_changelist_shows_the_phone_in_international_format(editor_client):
    ContactFactory(phone="+442079460000")
    response = editor_client.get(reverse("admin:releases_contact_changelist"))
    assert "+44 20 7946 0000" in response.content.decode()


def test_author_changelist_and_search_respond(editor_client):
    AuthorFactory(name="Sam Reporter")
    response = editor_client.get(reverse("admin:releases_author_changelist"), {"q": "Sam"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize(
    ("model_name", "field_name", "factory", "term"),
    [
        ("releaseorganization", "organization", OrganizationFactory, "Institute"),
        ("releasecontact", "contact", ContactFactory, "Jane"),
        ("release", "author", AuthorFactory, "Alex"),
    ],
)
def test_autocomplete_finds_organizations_contacts_and_authors(
    editor_client, model_name, field_name, factory, term
):
    factory()
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "releases", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1
