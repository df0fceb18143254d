"""The e-mail that carries a link (Django's locmem outbox in tests)."""

import pytest
from django.core import mail

from newsroom.sharing import services
from newsroom.sharing.emails import send_link

pytestmark = pytest.mark.django_db


def test_link_email_has_a_text_and_an_html_part_with_the_link(embargo_link, the_editor):
    url = "https://news.example.org" + embargo_link.path
    send_link(embargo_link, url=url, sender=the_editor)
    [message] = mail.outbox
    assert message.to == ["jane@daily.example"]
    assert message.reply_to == ["edna@newsroom.example"]
    assert message.subject.startswith("Embargoed until ")
    assert url in message.body
    assert "EMBARGOED UNTIL" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'href="{url}"' in html


def test_link_email_escapes_names_in_html_only(embargoed, the_editor):
    [issued] = services.share_release(
        release=embargoed,
        recipients=[
            services.RecipientData(
                email="evil@paper.example", name="<script>x</script> & Co", outlet="A&B"
            )
        ],
        user=the_editor,
    )
    send_link(issued, url="https://news.example.org" + issued.path)
    [message] = mail.outbox
    html = message.alternatives[0][0]
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt; &amp; Co" in html
    assert "Dear <script>x</script> & Co," in message.body  # plain text is not HTML


def test_review_link_email_says_draft(review_link):
    send_link(review_link, url="https://news.example.org" + review_link.path)
    [message] = mail.outbox
    assert "DRAFT — for review, not for publication" in message.body
    assert message.subject.startswith("For review, not for publication")
