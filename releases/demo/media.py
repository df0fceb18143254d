"""The demo's images and files: featured images, media-kit attachments and logos.

Drawn at load time (``releases.demo.artwork``) and saved through the model fields, as
an upload from the admin is: renditions (``releases.images``) and attachment facts
(type, size) are recorded by the same save. Sizes vary (a 16:9 banner, a square, a
portrait, from 600 to 2400 pixels wide) so the responsive renditions show their
range; few and mostly small, as renditions are most of the load's time.

Idempotent: a file whose stored name still ends in the demo's file name and that the
storage still holds is kept, so a second load neither draws nor stores anything (a
stored name carries a random folder, ``releases.uploads``: saving again would add a
file). A missing file is drawn again; attachment rows are keyed on their title.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile

from releases.demo import artwork
from releases.models import Attachment, Organization, Release

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class DemoImage:
    filename: str
    kind: str  # one of artwork.SCENES
    size: tuple[int, int]
    alt: str
    caption: str
    credit: str

    def draw(self) -> bytes:
        image_format = "PNG" if self.filename.endswith(".png") else "JPEG"
        return artwork.scene(self.kind, self.size, seed=self.filename, image_format=image_format)


@dataclass(frozen=True)
class DemoAttachment:
    filename: str
    title: str
    description: str
    draw: Callable[[], bytes]


def _fact_sheet(title: str, *lines: str) -> Callable[[], bytes]:
    return lambda: artwork.fact_sheet_pdf(title, lines)


def _chart(title: str, values: tuple[float, ...], colour: Colour) -> Callable[[], bytes]:
    return lambda: artwork.chart(title, values, (1200, 750), colour=colour)


def _photo(kind: str, size: tuple[int, int], seed: str) -> Callable[[], bytes]:
    return lambda: artwork.scene(kind, size, seed=seed)


CREDIT = "Demo illustration, Newsroom"

# Release slug → its featured image. Public releases mostly; one embargoed and one
# draft, whose files stay hidden from readers like the releases themselves.
FEATURED_IMAGES: dict[str, DemoImage] = {
    "severn-estuary-seagrass-recovering-faster-than-expected": DemoImage(
        "severn-seagrass.jpg",
        "coast",
        (1600, 1067),
        "Low tide over the Severn Estuary, a line of seagrass beds along the water's edge",
        "Seagrass beds near the estuary mouth have grown by a third since the 2019 survey.",
        CREDIT,
    ),
    "calder-institute-opens-portishead-coastal-observatory": DemoImage(
        "portishead-observatory.jpg",
        "city",
        (1200, 800),
        "The new coastal observatory's buildings on the shore at Portishead",
        "The observatory houses 40 scientists and a data centre open to visiting teams.",
        CREDIT,
    ),
    "marine-heatwaves-linked-to-north-atlantic-kelp-collapse": DemoImage(
        "kelp-forest.jpg",
        "underwater",
        (960, 640),
        "A thinned kelp forest seen from below the surface, a few fronds left standing",
        "Survey divers recorded fronds on fewer than half of the 2015 transects.",
        "Calder Institute dive team (demo illustration)",
    ),
    "hcta-orders-120-battery-electric-buses": DemoImage(
        "battery-buses.jpg",
        "city",
        (1280, 720),
        "Harbour City's skyline from the bus depot on a clear morning",
        "The first battery-electric buses enter service from the Eastern depot next year.",
        CREDIT,
    ),
    "dunmore-bank-offshore-wind-farm-first-power": DemoImage(
        "dunmore-bank.jpg",
        "wind",
        (2400, 1600),
        "A row of offshore wind turbines on a calm sea",
        "Dunmore Bank's first turbines exported power on a calm spring morning.",
        "Stormpoint Renewables (demo illustration)",
    ),
    "whitfield-opens-first-net-zero-residence-hall": DemoImage(
        "net-zero-hall.png",
        "campus",
        (800, 800),
        "Brick residence halls under a blue sky on the Whitfield campus",
        "The hall houses 420 students and produces more energy than it uses over a year.",
        CREDIT,
    ),
    "whitfield-researchers-map-urban-heat-islands-40-cities": DemoImage(
        "heat-island.jpg",
        "night",
        (600, 800),
        "A city's towers at night, windows lit, the air still warm",
        "Dense districts stayed up to 7 °C warmer than their suburbs after dark.",
        CREDIT,
    ),
    # Embargoed: the image goes public with the release, not before.
    "arctic-sea-ice-free-septembers-decade-earlier": DemoImage(
        "arctic-sea-ice.jpg",
        "ice",
        (1024, 683),
        "Scattered floes of sea ice on open water in late summer",
        "Late-summer ice cover has halved since satellite records began.",
        CREDIT,
    ),
    # A draft: its image is for staff only.
    "night-bus-network-expands-to-24-routes": DemoImage(
        "night-bus.jpg",
        "night",
        (640, 427),
        "Harbour City's towers at night from the harbour",
        "Night routes would run every 30 minutes from midnight to 5 am.",
        CREDIT,
    ),
}

# Release slug → its media kit's files, in order.
ATTACHMENTS: dict[str, tuple[DemoAttachment, ...]] = {
    "calder-institute-opens-portishead-coastal-observatory": (
        DemoAttachment(
            "observatory-fact-sheet.pdf",
            "Observatory fact sheet",
            "One page: cost, staff, instruments and opening hours for visiting teams.",
            _fact_sheet(
                "Portishead Coastal Observatory: fact sheet",
                "Cost: £14 million, funded by the Calder Institute and partners.",
                "Staff: 40 scientists and engineers.",
                "Instruments: tide gauges, wave buoys, a water-quality laboratory.",
                "Data: published openly every day.",
            ),
        ),
        DemoAttachment(
            "observatory-at-dusk.jpg",
            "The observatory from the shore (high resolution)",
            "1600 × 1067 pixels, for print. Credit: Demo illustration, Newsroom.",
            _photo("coast", (1600, 1067), "observatory-at-dusk"),
        ),
    ),
    "marine-heatwaves-linked-to-north-atlantic-kelp-collapse": (
        DemoAttachment(
            "kelp-cover-chart.png",
            "Chart: kelp cover by survey year",
            "Share of transects with standing kelp, 2015 to 2023. Free to reproduce with credit.",
            _chart("Kelp cover by survey year (%)", (92, 88, 71, 64, 52, 47, 44), (30, 110, 90)),
        ),
        DemoAttachment(
            "kelp-study-summary.pdf",
            "Study summary",
            "The findings, the methods and the authors in plain language.",
            _fact_sheet(
                "Marine heatwaves and kelp collapse: summary",
                "Joint study by the Calder Institute and Whitfield University.",
                "Kelp cover fell by half on surveyed reefs after three heatwaves.",
                "Method: 120 dive transects repeated every year since 2015.",
            ),
        ),
    ),
    "dunmore-bank-offshore-wind-farm-first-power": (
        DemoAttachment(
            "dunmore-bank-key-figures.pdf",
            "Key figures",
            "Capacity, turbines, homes supplied and the construction timeline.",
            _fact_sheet(
                "Dunmore Bank offshore wind farm: key figures",
                "Capacity: 480 MW from 32 turbines of 15 MW.",
                "First power: this spring; full operation expected by the year end.",
                "Homes supplied: about 500,000 a year.",
            ),
        ),
    ),
}

LOGO_COLOURS: dict[str, Colour] = {
    "CICOR": (20, 90, 140),
    "MHA": (190, 40, 60),
    "HCTA": (230, 120, 20),
    "SPR": (40, 140, 90),
    "WU": (90, 50, 130),
}


def _kept(fieldfile, filename: str) -> bool:
    """True when ``fieldfile`` is the demo's ``filename`` and its bytes are still stored."""
    return (
        bool(fieldfile)
        and posixpath.basename(fieldfile.name) == filename
        and fieldfile.storage.exists(fieldfile.name)
    )


def sync_logo(organization: Organization) -> None:
    filename = f"{organization.slug}-logo.png"
    colour = LOGO_COLOURS.get(organization.short_name)
    if colour is None or _kept(organization.logo, filename):
        return
    data = artwork.logo(organization.short_name, colour)
    organization.logo.save(filename, ContentFile(data), save=True)


def sync_featured_image(release: Release) -> None:
    image = FEATURED_IMAGES.get(release.slug)
    if image is None:
        return
    text = {
        "featured_image_alt": image.alt,
        "featured_image_caption": image.caption,
        "featured_image_credit": image.credit,
    }
    if _kept(release.featured_image, image.filename):
        changed = [field for field, value in text.items() if getattr(release, field) != value]
        for field in changed:
            setattr(release, field, text[field])
        if changed:
            release.save(update_fields=[*changed, "updated_at"])
        return
    for field, value in text.items():
        setattr(release, field, value)
    # One save stores the file, makes its renditions and writes the row.
    release.featured_image.save(image.filename, ContentFile(image.draw()), save=True)


def sync_attachments(release: Release) -> None:
    wanted = ATTACHMENTS.get(release.slug, ())
    release.attachments.exclude(title__in=[item.title for item in wanted]).delete()
    for position, item in enumerate(wanted):
        attachment = release.attachments.filter(title=item.title).first()
        if attachment is not None and _kept(attachment.file, item.filename):
            if (attachment.description, attachment.position) != (item.description, position):
                attachment.description, attachment.position = item.description, position
                attachment.save(update_fields=["description", "position"])
            continue
        attachment = attachment or Attachment(release=release, title=item.title)
        attachment.description, attachment.position = item.description, position
        # Stores the file, records its type and size and, for an image, its renditions.
        attachment.file.save(item.filename, ContentFile(item.draw()), save=True)
