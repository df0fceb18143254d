"""Stored rich text (body, boilerplate, bio) where only text may go."""

from django import template

from releases.richtext import plain_text as _plain_text

register = template.Library()


@register.filter
def plain_text(html: str) -> str:
    """The words of sanitized HTML, for a meta description: tags gone, entities decoded,
    blocks separated by a space. The template escapes the result as any text."""
    return _plain_text(html)
