"""The links' URLs: the same views under ``embargo/`` and ``review/``, named by kind
(``sharing:embargo_page``, ``sharing:review_pdf``…; build them with
``newsroom.sharing.models.link_path``)."""

from django.urls import path

from newsroom.sharing import views
from newsroom.sharing.models import Kind

app_name = "sharing"


def _routes(kind: str) -> list:
    prefix = f"{kind}/<str:token>/"
    extra = {"kind": kind}
    return [
        path(prefix, views.link_page, extra, name=f"{kind}_page"),
        path(f"{prefix}release.pdf", views.link_pdf, extra, name=f"{kind}_pdf"),
        path(f"{prefix}release.txt", views.link_text, extra, name=f"{kind}_text"),
        path(f"{prefix}media-kit.zip", views.link_media_kit, extra, name=f"{kind}_media_kit"),
        path(
            f"{prefix}attachments/<int:attachment_id>/",
            views.link_attachment,
            extra,
            name=f"{kind}_attachment",
        ),
        path(
            f"{prefix}attachments/<int:attachment_id>/<str:filename>",
            views.link_attachment_image,
            extra,
            name=f"{kind}_attachment_image",
        ),
        path(f"{prefix}images/<slug:which>", views.link_image, extra, name=f"{kind}_image"),
        path(
            f"{prefix}images/<slug:which>/<str:filename>",
            views.link_image,
            extra,
            name=f"{kind}_rendition",
        ),
    ]


urlpatterns = [*_routes(Kind.EMBARGO), *_routes(Kind.REVIEW)]
