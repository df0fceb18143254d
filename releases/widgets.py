"""Admin widgets that say what they are to screen readers, and the release form's tag picker.

axe-core (WCAG 4.1.2, 1.3.1) found inputs with no accessible name on the release form:
Django's split date/time widget labels neither of its two inputs (its ``<label>`` has no
``for`` since Django 4), and the rows of a tabular inline have only a column heading.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.text import capfirst
from taggit.models import Tag
from taggit.utils import edit_string_for_tags, parse_tags

PICKED_SUFFIX = "_picked"


class LabelledSplitDateTime(AdminSplitDateTime):
    """``AdminSplitDateTime`` whose inputs are named “<label>: date” and “<label>: time”."""

    def __init__(self, attrs=None, *, label: str = ""):
        super().__init__(attrs)
        self.label = label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, part in zip(context["widget"]["subwidgets"], ("date", "time"), strict=True):
            subwidget["attrs"]["aria-label"] = f"{self.label}: {part}"
        return context


def name_split_inputs(field: forms.Field | None, label: str = "") -> forms.Field | None:
    """``field`` with its split date/time widget (if it has one) replaced by a
    ``LabelledSplitDateTime`` named after ``label`` (by default the field's label).
    Keeps the widget's attributes; anything else is returned as it is."""
    if field is not None and isinstance(field.widget, AdminSplitDateTime):
        widget = LabelledSplitDateTime(
            field.widget.attrs, label=label or capfirst(str(field.label or ""))
        )
        widget.is_required = field.widget.is_required
        field.widget = widget
    return field


def name_row_inputs(form: forms.Form, row: str) -> None:
    """Give each input of an inline row an accessible name: “<row>: <field label>”,
    and its delete box “Delete <row>”. ``row`` names the row (“Attachment 2”)."""
    for name, field in form.fields.items():
        if name == "DELETE":
            field.widget.attrs.setdefault("aria-label", f"Delete {row[:1].lower()}{row[1:]}")
            continue
        label = f"{row}: {str(field.label or name).lower()}"
        if isinstance(field.widget, AdminSplitDateTime):
            name_split_inputs(field, label)
        elif not field.widget.is_hidden:
            # The widget a RelatedFieldWidgetWrapper renders: the wrapper's own ``attrs``
            # is, once copied for a form, the attrs of the class-level widget.
            widget = getattr(field.widget, "widget", field.widget)
            widget.attrs = {**widget.attrs, "aria-label": widget.attrs.get("aria-label", label)}


# -- tags ----------------------------------------------------------------------------------


class TagNameSelect(AutocompleteSelectMultiple):
    """Django's admin autocomplete (select2, shipped with ``django.contrib.admin``) over
    taggit's tags, whose options are tag *names*, not ids.

    Its results come from ``releases.admin.tags.TagNameAutocompleteView`` (the admin's
    autocomplete answering names). With names as values, select2's tagging can offer a
    name that no tag has yet: the form receives names only, new or not.
    """

    url_name = "%s:taggit_tag_names"

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        # select2 reads these from data attributes: a typed name may be kept as a new tag,
        # and a comma ends a name, as in the text box.
        attrs["data-tags"] = "true"
        attrs["data-token-separators"] = '[","]'
        attrs["data-allow-clear"] = "false"
        return attrs

    def optgroups(self, name, value, attr=None):
        # The selected names are the options: no query, and a new name shows as typed.
        options = [self.create_option(name, tag, tag, True, i) for i, tag in enumerate(value)]
        return [(None, options, 0)]


class TagPicker(forms.Widget):
    """The release form's tags: an autocomplete box of tags plus a text box for new ones.

    Two inputs, read together as one tag string for taggit's ``TagField`` (which parses
    it with ``releases.tag_strings.parse_tags``, as for the text box before):

    - ``<name>_picked`` (``TagNameSelect``): one value per tag name, picked from the
      existing tags or typed (select2 tagging). Without JavaScript: a list of the
      release's tags, which can be unselected.
    - ``<name>`` (a text input, id ``id_<name>``): new tags, comma-separated, with the
      quoting of ``releases.tag_strings`` — the way to add tags without JavaScript.

    ``value_from_datadict`` joins both into the string ``edit_string_for_tags`` writes, so
    each picked name stays one tag whatever it holds (commas, quotes, spaces). A text
    that does not parse (an unclosed quote) is passed on as typed, so the field reports
    the error; the form then shows every tag in the text box.
    """

    def __init__(self, field, admin_site, attrs=None):
        super().__init__(attrs)
        self.picker = TagNameSelect(field, admin_site)
        self.typed = forms.TextInput()

    @property
    def media(self):
        return self.picker.media

    def id_for_label(self, id_):
        return f"{id_}{PICKED_SUFFIX}" if id_ else id_

    def value_from_datadict(self, data, files, name):
        picked = [tag for tag in data.getlist(name + PICKED_SUFFIX, []) if tag.strip()]
        typed = data.get(name, "")
        try:
            typed_names = parse_tags(typed)
        except ValidationError:
            return ", ".join([edit_string_for_tags([Tag(name=tag)]) for tag in picked] + [typed])
        return edit_string_for_tags([Tag(name=tag) for tag in {*picked, *typed_names}])

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + PICKED_SUFFIX not in data

    def split(self, value) -> tuple[list[str], str]:
        """The names for the box and the text for the text box: all names in the box,
        unless ``value`` is a tag string that does not parse (then all in the text)."""
        if not value:
            return [], ""
        if not isinstance(value, str):
            return sorted(tag.name for tag in value), ""
        try:
            return parse_tags(value), ""
        except ValidationError:
            return [], value

    def render(self, name, value, attrs=None, renderer=None):
        names, text = self.split(value)
        attrs = self.build_attrs(self.attrs, attrs)
        id_ = attrs.pop("id", None) or f"id_{name}"
        picked_attrs = {**attrs, "id": self.id_for_label(id_)}
        if "aria-describedby" in attrs:
            # The field's help text, which the admin shows under the id of the label's input.
            picked_attrs["aria-describedby"] = f"{self.id_for_label(id_)}_helptext"
        typed_attrs = {**attrs, "id": id_, "aria-describedby": f"{id_}_typed_help"}
        return format_html(
            '<div class="tag-picker">{}'
            '<p class="tag-picker-typed"><label for="{}">New tags:</label> {}'
            ' <span class="help" id="{}_typed_help">Several at once, separated by commas; a'
            " tag that holds a comma goes in double quotes.</span></p>"
            "</div>",
            self.picker.render(name + PICKED_SUFFIX, names, picked_attrs, renderer),
            id_,
            self.typed.render(name, text, typed_attrs, renderer),
            id_,
        )
