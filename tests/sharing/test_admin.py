"""The admin side: the share page, revoking, the links on the release form, the log."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from newsroom.sharing import services
from newsroom.sharing.models import LinkView, ShareLink
from tests.factories import writer

from .conftest import JANE

pytestmark = pytest.mark.django_db


def share_url(release):
    return reverse("admin:sharing_sharelink_share", args=[release.pk])


def share_data(**extra):
    data = {
        "new-TOTAL_FORMS": "3",
        "new-INITIAL_FORMS": "0",
        "new-0-name": "Jane Roe",
        "new-0-email": "jane@daily.example",
        "new-0-outlet": "The Daily Example",
        "send_email": "on",
    }
    data.update(extra)
    return data


def test_anonymous_cannot_reach_the_share_page(client, embargoed):
    response = client.get(share_url(embargoed))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_editor_shares_and_sees_each_link_once(client, embargoed, the_editor):
    client.force_login(the_editor)
    response = client.post(share_url(embargoed), share_data())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    [url] = re.findall(r'value="(http://testserver/embargo/[^"]+/)"', html)
    assert [message.to for message in mail.outbox] == [["jane@daily.example"]]
    assert url in mail.outbox[0].body
    client.logout()
    assert client.get(url).status_code == 200


def test_editor_shares_with_an_earlier_recipient(client, embargoed, the_editor):
    services.share_release(release=embargoed, recipients=[JANE], user=the_editor)
    recipient = ShareLink.objects.get().recipient
    client.force_login(the_editor)
    data = {"new-TOTAL_FORMS": "3", "new-INITIAL_FORMS": "0", "earlier": [recipient.pk]}
    assert client.post(share_url(embargoed), data).status_code == 200
    assert ShareLink.objects.filter(recipient=recipient).count() == 2
    assert mail.outbox == []  # no e-mail unless asked


def test_share_page_refuses_a_release_without_embargo_with_a_message(client, the_editor):
    from tests.factories import ReleaseFactory

    public = ReleaseFactory(headline="Already out")
    client.force_login(the_editor)
    response = client.get(share_url(public))
    assert "public already" in response.content.decode()
    assert client.post(share_url(public), share_data()).status_code == 403


def test_writer_cannot_share_an_embargo_link_in_the_admin(client, embargoed):
    client.force_login(writer())
    page = client.get(share_url(embargoed))
    assert page.status_code == 200
    assert "sharing under embargo is for editors" in page.content.decode()
    assert client.post(share_url(embargoed), share_data()).status_code == 403
    assert not ShareLink.objects.exists()


def test_writer_makes_a_review_link_in_the_admin(client, draft):
    client.force_login(writer())
    response = client.post(share_url(draft), share_data(send_email=""))
    assert response.status_code == 200
    assert re.search(r'value="http://testserver/review/[^"]+/"', response.content.decode())


def test_editor_revokes_one_link(client, embargo_link, the_editor):
    client.force_login(the_editor)
    url = reverse("admin:sharing_sharelink_revoke", args=[embargo_link.link.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    client.logout()
    assert client.get(embargo_link.path).status_code == 410


def test_editor_revokes_all_links(client, embargoed, embargo_link, the_editor):
    client.force_login(the_editor)
    client.post(reverse("admin:sharing_sharelink_revoke_all", args=[embargoed.pk]))
    assert not ShareLink.objects.active().exists()


def test_writer_cannot_revoke_an_embargo_link_in_the_admin(client, embargo_link):
    client.force_login(writer())
    url = reverse("admin:sharing_sharelink_revoke", args=[embargo_link.link.pk])
    assert client.post(url).status_code == 403
    assert ShareLink.objects.active().exists()


def test_release_form_lists_its_links_and_the_share_button(
    client, embargoed, embargo_link, the_editor
):
    client.get(embargo_link.path)
    client.force_login(the_editor)
    html = client.get(
        reverse("admin:releases_release_change", args=[embargoed.pk])
    ).content.decode()
    assert share_url(embargoed) in html
    assert "Jane Roe of The Daily Example" in html
    assert reverse("admin:sharing_sharelink_change", args=[embargo_link.link.pk]) in html


def test_link_log_page_lists_each_view(client, embargo_link, the_editor):
    client.get(embargo_link.path, HTTP_USER_AGENT="TestBrowser/1.0")
    client.force_login(the_editor)
    response = client.get(reverse("admin:sharing_sharelink_change", args=[embargo_link.link.pk]))
    assert response.status_code == 200
    assert "TestBrowser/1.0" in response.content.decode()
    assert LinkView.objects.count() == 1


def test_anonymous_cannot_reach_the_link_admin(client, embargo_link):
    for name in ("admin:sharing_sharelink_changelist", "admin:sharing_linkview_changelist"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
