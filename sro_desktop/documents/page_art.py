"""The certificate page's fixed geometry and its static artwork.

Everything identical on every page of a batch (border, ornaments, organization name, logo,
signature, signatory block, the rosette) is drawn once into a PDF Form XObject and placed on
each page with `doForm`: a 300-page batch stores the artwork and its pictures once, and
writes a few bytes per page instead of redrawing them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from sro_desktop.documents.fonts import Font
from sro_desktop.documents.text_layout import fit_single_line, unit_width
from sro_desktop.errors import UnusableInput

if TYPE_CHECKING:
    from sro_desktop.documents.certificates import CertificateArt

ART_FORM = "sro-certificate-art"

NAVY = HexColor("#1D3557")
GOLD = HexColor("#A8843A")
INK = HexColor("#1F2933")
GREY = HexColor("#5B6470")

PAGE_SIZES = {"letter": landscape(letter), "a4": landscape(A4)}

_OUTER = 24.0  # outer border inset from the paper edge (printers leave ~18 pt unprinted)
_INNER = 31.0
_LOGO_TOP = 16.0  # gap between the inner frame and the logo
_LOGO_HEIGHT = 52.0
_LOGO_WIDTH = 200.0
_SIGNATURE_HEIGHT = 44.0
_SIGNATURE_WIDTH = 170.0
_BLOCK_WIDTH = 200.0
_ORG_LETTER_SPACING = 0.12  # em
_ORG_SIZE = 14.0
_ORG_MIN_SIZE = 10.0  # below this a long organization name takes two lines


@dataclass(frozen=True)
class PageLayout:
    """Where things go on a landscape certificate page (points, origin bottom left)."""

    width: float
    height: float
    org_baseline: float
    title_baseline: float
    content_top: float
    content_bottom: float
    content_width: float
    sign_line_y: float
    signature_x: float
    date_x: float
    block_width: float
    seal_center: tuple[float, float]
    footer_baseline: float

    @property
    def center_x(self) -> float:
        return self.width / 2


def page_size(name: str) -> tuple[float, float]:
    """Landscape (width, height) for "letter" or "a4"."""
    try:
        size: tuple[float, float] = PAGE_SIZES[name.lower()]
    except KeyError:
        raise ValueError(f"unknown page size {name!r}; use 'letter' or 'a4'") from None
    return size


def page_layout(size_name: str, *, has_logo: bool) -> PageLayout:
    """The layout of one batch: it depends only on the paper and whether there is a logo."""
    width, height = page_size(size_name)
    top = height - _INNER
    org_baseline = top - (_LOGO_TOP + _LOGO_HEIGHT + 28) if has_logo else top - 44
    title_baseline = org_baseline - 44
    sign_line_y = _INNER + 66
    return PageLayout(
        width=width,
        height=height,
        org_baseline=org_baseline,
        title_baseline=title_baseline,
        content_top=title_baseline - 30,
        content_bottom=sign_line_y + _SIGNATURE_HEIGHT + 14,
        content_width=width - 2 * _INNER - 120,
        sign_line_y=sign_line_y,
        signature_x=width * 0.27,
        date_x=width * 0.73,
        block_width=_BLOCK_WIDTH,
        seal_center=(width / 2, sign_line_y + 8),
        footer_baseline=_INNER + 10,
    )


def _image(data: bytes, what: str) -> ImageReader:
    """Read PNG/JPEG bytes, or explain to the user which picture is unusable."""
    try:
        reader = ImageReader(BytesIO(data))
        reader.getSize()
    except Exception as error:
        raise UnusableInput(
            f"The {what} picture could not be read as a PNG or JPEG image. "
            f"Choose the {what} picture again in the organization's settings."
        ) from error
    return reader


def load_images(art: CertificateArt) -> tuple[ImageReader | None, ImageReader | None]:
    """Decode the logo and signature once, before any page is written."""
    logo = _image(art.logo, "logo") if art.logo else None
    signature = _image(art.signature, "signature") if art.signature else None
    return logo, signature


def _draw_fitted_image(
    canvas: Canvas,
    image: ImageReader,
    center_x: float,
    bottom: float,
    max_width: float,
    max_height: float,
) -> None:
    image_width, image_height = image.getSize()
    scale = min(max_width / image_width, max_height / image_height)
    width, height = image_width * scale, image_height * scale
    canvas.drawImage(
        image, center_x - width / 2, bottom, width, height, mask="auto", preserveAspectRatio=True
    )


def _centered_string(
    canvas: Canvas,
    text: str,
    font: Font,
    size: float,
    min_size: float,
    center_x: float,
    baseline: float,
    max_width: float,
    color: Color,
) -> None:
    """One line, shrunk to fit `max_width` (never below `min_size`)."""
    fitted = fit_single_line(((text, font),), max_width, size, min_size)
    canvas.setFillColor(color)
    canvas.setFont(str(font), fitted)
    canvas.drawCentredString(center_x, baseline, text)


def _caps_width(text: str) -> float:
    """Width at 1 pt of letter-spaced capitals."""
    return unit_width(text, Font.SERIF_BOLD) + _ORG_LETTER_SPACING * max(len(text) - 1, 0)


def _spaced_caps(
    canvas: Canvas, text: str, center_x: float, baseline: float, max_width: float
) -> None:
    """The organization name in letter-spaced capitals: one line shrunk to fit, or, for a
    long name that would get too small, two balanced lines (the second on `baseline`)."""
    caps = " ".join(text.upper().split())
    lines = [caps]
    size = min(_ORG_SIZE, int(2 * max_width / _caps_width(caps)) / 2) if caps else _ORG_SIZE
    if size < _ORG_MIN_SIZE and " " in caps:
        words = caps.split(" ")
        splits = [[" ".join(words[:cut]), " ".join(words[cut:])] for cut in range(1, len(words))]
        lines = min(splits, key=lambda pair: max(_caps_width(line) for line in pair))
        widest = max(_caps_width(line) for line in lines)
        size = min(_ORG_SIZE - 2, int(2 * max_width / widest) / 2)
    size = max(size, 6.0)
    text_object = canvas.beginText()
    text_object.setFont(str(Font.SERIF_BOLD), size)
    text_object.setCharSpace(_ORG_LETTER_SPACING * size)
    text_object.setFillColor(NAVY)
    for index, line in enumerate(lines):
        line_baseline = baseline + (len(lines) - 1 - index) * size * 1.35
        text_object.setTextOrigin(center_x - _caps_width(line) * size / 2, line_baseline)
        text_object.textOut(line)
    text_object.setCharSpace(0)  # Tc outlives the text object: reset it for what follows
    canvas.drawText(text_object)


def _border(canvas: Canvas, layout: PageLayout) -> None:
    width, height = layout.width, layout.height
    canvas.setStrokeColor(NAVY)
    canvas.setLineWidth(2.6)
    canvas.rect(_OUTER, _OUTER, width - 2 * _OUTER, height - 2 * _OUTER)
    canvas.setLineWidth(0.5)
    inset = _INNER + 4
    canvas.rect(inset, inset, width - 2 * inset, height - 2 * inset)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1.0)
    canvas.rect(_INNER, _INNER, width - 2 * _INNER, height - 2 * _INNER)
    for x, y in (
        (_INNER, _INNER),
        (width - _INNER, _INNER),
        (_INNER, height - _INNER),
        (width - _INNER, height - _INNER),
    ):
        _corner(canvas, x, y)


def _corner(canvas: Canvas, x: float, y: float) -> None:
    """A small gold diamond with a navy heart at a corner of the inner frame."""
    canvas.setFillColor(GOLD)
    path = canvas.beginPath()
    path.moveTo(x, y + 9)
    path.lineTo(x + 9, y)
    path.lineTo(x, y - 9)
    path.lineTo(x - 9, y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.setFillColor(NAVY)
    canvas.circle(x, y, 2.4, stroke=0, fill=1)


def _title_rule(canvas: Canvas, center_x: float, y: float) -> None:
    """A thin gold rule with a diamond in the middle, under the certificate's title."""
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.line(center_x - 110, y, center_x - 9, y)
    canvas.line(center_x + 9, y, center_x + 110, y)
    canvas.setFillColor(GOLD)
    path = canvas.beginPath()
    path.moveTo(center_x, y + 4)
    path.lineTo(center_x + 5, y)
    path.lineTo(center_x, y - 4)
    path.lineTo(center_x - 5, y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def _rosette(canvas: Canvas, center: tuple[float, float]) -> None:
    """A gold seal: a ring of petals around two circles (no words, so it suits any batch)."""
    x, y = center
    canvas.setStrokeColor(GOLD)
    canvas.setFillColor(GOLD)
    petals = 24
    path = canvas.beginPath()
    for index in range(petals * 2):
        angle = math.pi * index / petals
        radius = 30.0 if index % 2 == 0 else 26.5
        point = (x + radius * math.cos(angle), y + radius * math.sin(angle))
        if index == 0:
            path.moveTo(*point)
        else:
            path.lineTo(*point)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#FFFFFF"))
    canvas.circle(x, y, 23, stroke=0, fill=1)
    canvas.setLineWidth(1.2)
    canvas.circle(x, y, 21, stroke=1, fill=0)
    canvas.setLineWidth(0.5)
    canvas.circle(x, y, 17.5, stroke=1, fill=0)
    canvas.setFillColor(GOLD)
    star = canvas.beginPath()
    for index in range(10):
        angle = math.pi / 2 + math.pi * index / 5
        radius = 11.0 if index % 2 == 0 else 4.4
        point = (x + radius * math.cos(angle), y + radius * math.sin(angle))
        if index == 0:
            star.moveTo(*point)
        else:
            star.lineTo(*point)
    star.close()
    canvas.drawPath(star, stroke=0, fill=1)


def _signature_block(
    canvas: Canvas, art: CertificateArt, signature: ImageReader | None, layout: PageLayout
) -> None:
    x, line_y, half = layout.signature_x, layout.sign_line_y, layout.block_width / 2
    if signature is not None:
        _draw_fitted_image(canvas, signature, x, line_y + 2, _SIGNATURE_WIDTH, _SIGNATURE_HEIGHT)
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.6)
    canvas.line(x - half, line_y, x + half, line_y)
    _centered_string(
        canvas,
        art.signatory_name,
        Font.SERIF_BOLD,
        11,
        7,
        x,
        line_y - 14,
        layout.block_width,
        INK,
    )
    _centered_string(
        canvas,
        art.signatory_title,
        Font.SANS,
        8.5,
        6,
        x,
        line_y - 26,
        layout.block_width,
        GREY,
    )


def _date_block(canvas: Canvas, layout: PageLayout) -> None:
    """The line and label under the issue date; the date itself changes per page."""
    x, line_y, half = layout.date_x, layout.sign_line_y, layout.block_width / 2
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.6)
    canvas.line(x - half, line_y, x + half, line_y)
    canvas.setFillColor(GREY)
    canvas.setFont(str(Font.SANS), 8.5)
    canvas.drawCentredString(x, line_y - 14, "Date of issue")


def draw_art(
    canvas: Canvas,
    art: CertificateArt,
    layout: PageLayout,
    logo: ImageReader | None,
    signature: ImageReader | None,
) -> None:
    """Draw the static artwork at the current position (into a form, or straight on a page)."""
    canvas.saveState()
    _border(canvas, layout)
    if logo is not None:
        _draw_fitted_image(
            canvas,
            logo,
            layout.center_x,
            layout.height - _INNER - _LOGO_TOP - _LOGO_HEIGHT,
            _LOGO_WIDTH,
            _LOGO_HEIGHT,
        )
    _spaced_caps(
        canvas,
        art.organization_name,
        layout.center_x,
        layout.org_baseline,
        layout.content_width,
    )
    _title_rule(canvas, layout.center_x, layout.title_baseline - 18)
    _rosette(canvas, layout.seal_center)
    _signature_block(canvas, art, signature, layout)
    _date_block(canvas, layout)
    canvas.restoreState()


def define_art_form(
    canvas: Canvas,
    art: CertificateArt,
    layout: PageLayout,
    logo: ImageReader | None,
    signature: ImageReader | None,
    name: str = ART_FORM,
) -> str:
    """Record the artwork once as a Form XObject; returns the name to pass to `doForm`."""
    canvas.beginForm(name, lowerx=0, lowery=0, upperx=layout.width, uppery=layout.height)
    draw_art(canvas, art, layout, logo, signature)
    canvas.endForm()
    return name
