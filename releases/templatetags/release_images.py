"""The release page's images at render time (``releases.body_images``): the body's own
images with their renditions, the featured image's renditions, both loaded through an
embargo or review link on a link's page.

``share_link``: the link page's ``SharedPage`` (``newsroom.sharing.views``), anything
with a ``file_url(owner, stored_name)``; empty on the public page.
"""

from django import template

from releases.body_images import own_images, with_renditions
from releases.images import ImageSet

register = template.Library()


@register.simple_tag
def release_body(release, share_link=None):
    """``{% release_body release share_link %}``: the stored body, each own image given
    its renditions (``releases.body_images.with_renditions``). No query when the
    release's attachments are prefetched."""
    url_for = share_link.file_url if share_link else None
    return with_renditions(release.body, lambda: own_images(release, url_for))


@register.simple_tag
def featured_image_set(release, share_link=None) -> ImageSet:
    """``{% featured_image_set release share_link as image %}``: the featured image's
    renditions (``Release.featured_image_set``), through the link on a link's page."""
    image_set = release.featured_image_set
    if not share_link:
        return image_set
    return image_set.through(lambda rendition: share_link.file_url(release, rendition.name))


@register.inclusion_tag("includes/author_photo.html")
def author_photo(author, box: int, share_link=None) -> dict:
    """``{% author_photo author 88 share_link %}``: the author's photo as a ``box`` px
    square (CSS crops it, ``object-fit: cover``), from its renditions
    (``Author.photo_set``) in ``srcset``, never the original when they exist; through
    the link on a link's page. No query: the renditions are on the author's row."""
    image_set = author.photo_set
    if share_link:
        image_set = image_set.through(lambda rendition: share_link.file_url(author, rendition.name))
    original = share_link.author_photo_url if share_link else author.photo.url
    # Cropped to a square, the photo is shown as wide as its shorter side allows: a
    # landscape photo 88 px high is wider than 88 px on screen.
    shown = box
    if image_set and image_set.height:
        shown = max(box, round(box * image_set.width / image_set.height))
    return {"image": image_set, "original": original, "box": box, "sizes": f"{shown}px"}
