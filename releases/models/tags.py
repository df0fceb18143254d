"""Every tag has a usable slug, whatever its name.

taggit slugifies a tag's name once, when the tag is created (``TagBase.save``), and
keeps the result even when it is empty: a tag named "🚀", "!!!" or "…" got the slug
``""``, which no URL can carry (``/tags/<slug>/`` raised ``NoReverseMatch`` on every
page and API answer naming the tag). Letters of every script survive taggit's
``slugify(allow_unicode=True)``; only names made of symbols and punctuation lose
everything, and they get ``tag``, ``tag-2``, …

Why a ``pre_save`` receiver and not another hook: taggit has no setting for a fallback
(``TAGGIT_STRIP_UNICODE_WHEN_SLUGIFYING`` only transliterates, and would turn "新闻"
into an empty slug too), a proxy's ``slugify`` override is never called for the tags
taggit creates, and a custom tag model means migrating every tagged row. The receiver
runs inside taggit's own ``save()``, after its slugify and before the INSERT, so
taggit's retry on a duplicate slug still applies.
"""

from __future__ import annotations

import re

from django.db import models
from taggit.models import Tag

FALLBACK = "tag"
# What ``releases.urls.TagSlugConverter`` accepts: a slug outside it cannot be linked.
ROUTABLE = re.compile(r"[-\w]+")


def is_routable(slug: str) -> bool:
    return ROUTABLE.fullmatch(slug) is not None


def fallback_slug(model: type[models.Model], *, exclude_pk=None) -> str:
    """The first of ``tag``, ``tag-2``, ``tag-3``, … that no other row of ``model`` uses.

    One query per slug already taken; names without a letter or digit are rare.
    """
    taken = model._default_manager.exclude(pk=exclude_pk)
    slug, n = FALLBACK, 2
    while taken.filter(slug=slug).exists():
        slug, n = f"{FALLBACK}-{n}", n + 1
    return slug


def fill_tag_slug(sender, instance: Tag, raw: bool = False, **kwargs) -> None:
    """``pre_save`` of ``Tag``: an empty or unroutable slug becomes ``tag``, ``tag-2``, …

    Fixtures (``raw``) are loaded as they are.
    """
    if raw or is_routable(instance.slug):
        return
    instance.slug = fallback_slug(type(instance), exclude_pk=instance.pk)


def connect_signals() -> None:
    models.signals.pre_save.connect(fill_tag_slug, sender=Tag, dispatch_uid="releases.tag_slug")
