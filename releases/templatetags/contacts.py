"""Tags for showing media contacts and media-kit files on public pages.

Email addresses are never written into the HTML as they are: harvesting bots read
page source, people read the page. The address is shown as readable text
(``press [at] example [dot] org``) and its two halves travel reversed in data
attributes; ``static/js/contact.js`` turns them back into a ``mailto:`` link. With
JavaScript off, the readable text stays.
"""

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html

from releases.file_facts import type_from_name, type_label
from releases.vcards import vcard_path

register = template.Library()


def readable_email(email: str) -> str:
    """``press@example.org`` → ``press [at] example [dot] org``, for people, not regexes."""
    user, _, domain = email.rpartition("@")
    return f"{user} [at] {domain}".replace(".", " [dot] ")


@register.simple_tag
def protected_email(email: str) -> str:
    """A span that contact.js turns into a mailto link; empty for no address."""
    if not email or "@" not in email:
        return ""
    user, _, domain = email.rpartition("@")
    return format_html(
        '<span class="protected-email" data-u="{}" data-d="{}">{}</span>',
        user[::-1],
        domain[::-1],
        readable_email(email),
    )


@register.filter
def vcard_url(contact) -> str:
    """The contact's vCard (``releases.vcards.vcard_path``); no query."""
    return vcard_path(contact)


@register.filter
def file_facts(file) -> str:
    """``PDF, 1.2 MB`` or ``JPEG image, 840 KB``: the type and size of a file.

    ``file`` is an ``Attachment`` (its facts recorded when saved: no storage call, no
    query) or a stored file (``FieldFile``: type from its name, size from one ``stat``
    on local storage, left out if the file is unreadable).
    """
    if not file:
        return ""
    if hasattr(file, "content_type"):
        kind = type_label(file.content_type, file.file.name)
        size = filesizeformat(file.size) if file.size is not None else ""
        return ", ".join(part for part in (kind, size) if part)
    kind = type_label(type_from_name(file.name), file.name)
    try:
        size = filesizeformat(file.size)
    except (OSError, ValueError):
        # A file missing from storage must not break the release page.
        size = ""
    return ", ".join(part for part in (kind, size) if part)
