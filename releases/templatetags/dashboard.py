"""``{% releases_dashboard as sections %}``: the admin index's sections for the user."""

from django import template

from releases.dashboard import dashboard_sections

register = template.Library()


@register.simple_tag(takes_context=True)
def releases_dashboard(context):
    """The sections of ``releases.dashboard`` for ``request.user`` (none without one)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_active or not user.is_staff:
        return []
    return dashboard_sections(user)
