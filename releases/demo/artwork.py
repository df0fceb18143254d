"""Pictures and documents for the demo, drawn at load time: no binary files in the
repository, the same bytes on every load.

Scenes are a sky gradient with a few shapes (sun, hills, sea, buildings, turbines),
charts are bars on a grid, logos a mark and the short name, fact sheets a one-page PDF
written by hand (PDF 1.4, ISO 32000-1 §7: objects, a cross-reference table, a trailer)
in the standard Helvetica fonts, which every reader has. Everything is seeded by its
own arguments, so a second load draws exactly the same thing.
"""

from __future__ import annotations

import io
import random
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont, ImageOps

Colour = tuple[int, int, int]

SCENES = ("coast", "hills", "city", "wind", "ice", "night", "underwater", "campus")


def _gradient(size: tuple[int, int], top: Colour, bottom: Colour) -> Image.Image:
    # Drawn 256 pixels tall and stretched: far faster than a line per pixel row.
    ramp = Image.linear_gradient("L").resize(size)
    return ImageOps.colorize(ramp, top, bottom).convert("RGB")


def _encode(image: Image.Image, image_format: str) -> bytes:
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.save(buffer, format="JPEG", quality=85, optimize=True)
    else:
        image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def scene(kind: str, size: tuple[int, int], *, seed: str, image_format: str = "JPEG") -> bytes:
    """A landscape of ``kind`` (one of ``SCENES``), ``size`` pixels, as JPEG or PNG bytes."""
    width, height = size
    rng = random.Random(f"{kind}:{seed}")  # noqa: S311 - shapes, not secrets
    palettes = {
        "coast": ((120, 180, 230), (235, 240, 250), (40, 110, 150)),
        "hills": ((250, 200, 140), (255, 240, 210), (70, 130, 70)),
        "city": ((90, 140, 210), (220, 230, 245), (60, 70, 90)),
        "wind": ((150, 190, 225), (245, 248, 252), (30, 80, 120)),
        "ice": ((170, 210, 235), (250, 252, 255), (200, 225, 240)),
        "night": ((10, 15, 50), (60, 50, 110), (25, 25, 35)),
        "underwater": ((20, 120, 150), (5, 30, 60), (30, 80, 50)),
        "campus": ((140, 190, 240), (235, 245, 255), (90, 140, 80)),
    }
    top, bottom, ground = palettes[kind]
    image = _gradient(size, top, bottom)
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.55, 0.7))

    if kind != "underwater":
        sun = int(min(size) * rng.uniform(0.07, 0.11))
        cx, cy = int(width * rng.uniform(0.15, 0.85)), int(horizon * rng.uniform(0.25, 0.6))
        glow = (250, 250, 230) if kind == "night" else (255, 225, 120)
        draw.ellipse((cx - sun, cy - sun, cx + sun, cy + sun), fill=glow)
    if kind in ("hills", "campus", "coast"):
        for layer in range(3):
            shade = tuple(max(0, c - 25 * layer) for c in ground)
            base = horizon + layer * height // 12
            points = [(0, height)]
            for step in range(9):
                points.append((width * step // 8, base - int(rng.uniform(0, height * 0.12))))
            points.append((width, height))
            draw.polygon(points, fill=shade)
    if kind in ("coast", "wind", "ice"):
        draw.rectangle((0, horizon, width, height), fill=ground)
        for _ in range(14):  # wave crests
            x, y = rng.uniform(0, width), rng.uniform(horizon + 10, height)
            span = width * rng.uniform(0.03, 0.08)
            draw.line((x, y, x + span, y), fill=(235, 245, 250), width=max(2, height // 300))
    if kind in ("city", "night", "campus"):
        x = 0
        while x < width:
            w, h = int(width * rng.uniform(0.04, 0.1)), int(height * rng.uniform(0.15, 0.5))
            body = {"night": (40, 45, 60), "city": (70, 80, 105), "campus": (175, 105, 80)}[kind]
            draw.rectangle((x, horizon - h, x + w, height), fill=body)
            for wy in range(horizon - h + 12, height - 12, max(14, height // 40)):
                for wx in range(x + 8, x + w - 8, max(14, width // 60)):
                    if rng.random() < 0.45:
                        lit = (255, 220, 120) if kind == "night" else (200, 220, 240)
                        draw.rectangle((wx, wy, wx + 5, wy + 7), fill=lit)
            x += w + int(width * 0.01)
    if kind == "wind":
        for index in range(5):
            tx = int(width * (0.12 + 0.18 * index))
            top_y = horizon - int(height * rng.uniform(0.25, 0.4))
            draw.line((tx, horizon, tx, top_y), fill=(245, 245, 245), width=max(3, width // 400))
            blade = int(height * 0.12)
            for dx, dy in (
                (0, -blade),
                (int(blade * 0.87), blade // 2),
                (-int(blade * 0.87), blade // 2),
            ):
                draw.line(
                    (tx, top_y, tx + dx, top_y + dy),
                    fill=(250, 250, 250),
                    width=max(3, width // 500),
                )
    if kind == "ice":
        for _ in range(6):
            x, w = rng.uniform(0, width), width * rng.uniform(0.05, 0.15)
            y = rng.uniform(horizon + 20, height - 40)
            draw.polygon(
                [(x, y), (x + w, y), (x + w * 0.8, y - w * 0.3), (x + w * 0.3, y - w * 0.35)],
                fill=(250, 252, 255),
            )
    if kind == "underwater":
        for _ in range(18):  # kelp fronds
            x = rng.uniform(0, width)
            tall = height * rng.uniform(0.3, 0.7)
            draw.line(
                (x, height, x + rng.uniform(-40, 40), height - tall),
                fill=ground,
                width=max(4, width // 200),
            )
        for _ in range(40):  # bubbles
            x, y, r = rng.uniform(0, width), rng.uniform(0, height), rng.uniform(3, 12)
            draw.ellipse((x - r, y - r, x + r, y + r), outline=(200, 235, 245), width=2)
    return _encode(image, image_format)


def chart(title: str, values: Sequence[float], size: tuple[int, int], *, colour: Colour) -> bytes:
    """A bar chart of ``values`` under ``title``, as PNG bytes (sharp edges, flat colour)."""
    width, height = size
    image = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(16, height // 20))
    margin = width // 12
    draw.text((margin, margin // 2), title, fill=(30, 30, 30), font=font)
    floor, ceiling = height - margin, margin + height // 10
    for line in range(5):  # grid
        y = floor - (floor - ceiling) * line / 4
        draw.line((margin, y, width - margin, y), fill=(220, 220, 220), width=2)
    slot = (width - 2 * margin) / len(values)
    peak = max(values) or 1
    for index, value in enumerate(values):
        x = margin + slot * index + slot * 0.15
        top = floor - (floor - ceiling) * value / peak
        draw.rectangle((x, top, x + slot * 0.7, floor), fill=colour)
    return _encode(image, "PNG")


def logo(short_name: str, colour: Colour, *, size: tuple[int, int] = (600, 200)) -> bytes:
    """A wordmark: a round mark in ``colour`` and the short name, PNG with transparency."""
    width, height = size
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    pad = height // 8
    draw.ellipse((pad, pad, height - pad, height - pad), fill=(*colour, 255))
    draw.arc(
        (pad * 2, pad * 2, height - pad * 2, height - pad * 2),
        200,
        340,
        fill=(255, 255, 255, 255),
        width=pad // 2,
    )
    font = ImageFont.load_default(size=int(height * 0.45))
    draw.text((height + pad, height // 2), short_name, fill=(*colour, 255), font=font, anchor="lm")
    return _encode(image.crop((0, 0, width, height)), "PNG")


def _pdf_text(text: str) -> bytes:
    """A PDF literal string in WinAnsi (cp1252); parentheses and backslashes escaped."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("cp1252", errors="replace") + b")"


def fact_sheet_pdf(title: str, lines: Sequence[str]) -> bytes:
    """A one-page A4 PDF: ``title`` in bold, then ``lines``; a document title in its Info."""
    content = [b"BT /F1 20 Tf 56 780 Td " + _pdf_text(title) + b" Tj ET"]
    y = 740
    for line in lines:
        content.append(b"BT /F2 12 Tf 56 %d Td " % y + _pdf_text(line) + b" Tj ET")
        y -= 20
    stream = b"\n".join(content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title " + _pdf_text(title) + b" /Producer (Newsroom demo) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects))
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
