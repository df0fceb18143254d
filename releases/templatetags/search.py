"""``{{ release.search_snippet|snippet }}``: the highlighted search snippet as safe HTML.

``search_releases`` already annotates ``search_snippet`` as safe HTML; the filter exists
for text that did not come through it (``values()``, a cache), where it escapes the text
and turns only the search marks into ``<mark>``.
"""

from django import template
from django.utils.safestring import SafeData

from releases.search import highlight

register = template.Library()


@register.filter
def snippet(value):
    if isinstance(value, SafeData):
        return value
    return highlight(str(value or ""))
