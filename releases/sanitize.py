"""The one place release HTML is cleaned: an allow-list applied on save with nh3."""

import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "blockquote", "q", "cite",
    "ul", "ol", "li", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small",
    "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td",
    "abbr", "code", "pre", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "width", "height", "title"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
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
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    ).strip()
