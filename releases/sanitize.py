"""The one place release HTML is cleaned: an allow-list applied on save with nh3."""

import nh3

from releases.richtext import has_html_tags, plain_text_to_html

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "blockquote", "q", "cite",
    "ul", "ol", "li", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small",
    "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td",
    "abbr", "code", "pre", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    # On every tag: a quotation in another language or script keeps its language and
    # direction (an English release quoting Arabic, an Arabic one quoting English).
    "*": {"lang"},
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "width", "height", "title"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
# ``dir`` on every tag, with its three valid values only (nh3 has no "*" here).
ALLOWED_ATTRIBUTE_VALUES = {tag: {"dir": {"ltr", "rtl", "auto"}} for tag in ALLOWED_TAGS}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitize_html(html: str) -> str:
    """Return ``html`` reduced to the tags a press release body may contain.

    Scripts, styles, event handlers and ``javascript:`` URLs are removed; external
    links get ``rel="noopener noreferrer"``.
    """
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=ALLOWED_ATTRIBUTE_VALUES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    ).strip()


def clean_rich_text(value: str) -> str:
    """``value`` as the stored HTML of a rich-text field (body, boilerplate, bio).

    Input holding no tag at all (``releases.richtext.has_html_tags``) is plain text, from
    a form sent without JavaScript, a script or an import: it is given structure first
    (``releases.richtext.plain_text_to_html``: paragraphs, lists, links). Then, like any
    HTML, it is sanitized. Idempotent: stored HTML comes back unchanged.
    Empty input stays ``""``.
    """
    if value and not has_html_tags(value):
        value = plain_text_to_html(value)
    html = sanitize_html(value)
    # HTML left without a tag ("<font>A &amp; B</font>" → "A &amp; B") is one paragraph:
    # tagless, it would read as plain text next time and its entities be escaped again.
    if html and not has_html_tags(html):
        html = f"<p>{html}</p>"
    return html
