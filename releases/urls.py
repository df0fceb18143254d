from django.urls import path, register_converter

from releases.views import contacts, corrections, detail, downloads, lists, pages


class YearConverter:
    """Exactly four digits: ``/releases/2024/`` is an archive, never a release slug."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):04d}"


class MonthConverter:
    """``01`` to ``12``: any other month is simply not a URL here (404)."""

    regex = "0[1-9]|1[0-2]"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):02d}"


class TagSlugConverter:
    """A tag slug: taggit keeps letters beyond ASCII (``économie``) unless told not to."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(YearConverter, "yyyy")
register_converter(MonthConverter, "mm")
register_converter(TagSlugConverter, "tagslug")

app_name = "releases"

urlpatterns = [
    path("", pages.home, name="home"),
    path("releases/", lists.release_list, name="list"),
    # Before the detail route: release slugs always contain a letter, archives never do.
    path("releases/<yyyy:year>/", lists.archive_year, name="archive_year"),
    path("releases/<yyyy:year>/<mm:month>/", lists.archive_month, name="archive_month"),
    path("releases/<slug:slug>/", detail.release_detail, name="detail"),
    path("releases/<slug:slug>/release.pdf", downloads.release_pdf, name="download_pdf"),
    path("releases/<slug:slug>/release.txt", downloads.release_text, name="download_text"),
    path("releases/<slug:slug>/ninjs.json", downloads.release_ninjs, name="download_ninjs"),
    path(
        "releases/<slug:slug>/media-kit.zip",
        downloads.release_media_kit,
        name="download_media_kit",
    ),
    path("tags/", pages.tag_index, name="tags"),
    path("tags/<tagslug:slug>/", lists.tag_detail, name="tag"),
    path("organizations/<slug:slug>/", lists.organization_detail, name="organization"),
    path(
        "organizations/<slug:slug>/contacts/",
        contacts.press_contacts,
        name="organization_contacts",
    ),
    path(
        "contacts/<int:pk>-<slug:slug>.vcf",
        contacts.contact_vcard_download,
        name="contact_vcard",
    ),
    path("authors/<slug:slug>/", lists.author_detail, name="author"),
    path("corrections/", corrections.corrections_log, name="corrections"),
]
