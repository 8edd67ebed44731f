"""Certificate test data: an organization's artwork and contents made from a few changes."""

from __future__ import annotations

import dataclasses
import io
from datetime import date
from decimal import Decimal
from typing import Any

from PIL import Image, ImageDraw

from sro_desktop.documents.certificates import CertificateArt, CertificateContent, CertificateKind

ORGANIZATION = "Ohio Valley Alliance for CME Professionals"
PROVIDER = "Ohio State University College of Medicine"

NAMES = {
    "vietnamese": "Nguyễn Thị Minh Khai",
    "greek": "Αλέξανδρος Παπαδόπουλος",
    "cyrillic": "Ольга Кузнецова",
    "latin": "María José Núñez-Ørsted Çağlar Łukasz",
    "long": " ".join(  # 90 characters
        [
            "Maximiliana Josefina Alexandrina von",
            "Hohenzollern-Sigmaringen de la Cruz Fernández-Ortegón",
        ]
    ),
}
assert len(NAMES["long"]) == 90


def picture(kind: str = "PNG", size: tuple[int, int] = (300, 120)) -> bytes:
    """A small picture (a logo or signature stand-in) in PNG or JPEG."""
    mode = "RGBA" if kind == "PNG" else "RGB"
    image = Image.new(mode, size, (255, 255, 255, 0) if mode == "RGBA" else (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, size[1] - 10, size[1] - 10), outline=(29, 53, 87), width=8)
    draw.line((size[1], size[1] // 2, size[0] - 10, size[1] // 2), fill=(20, 30, 90), width=6)
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return buffer.getvalue()


def make_art(**changes: Any) -> CertificateArt:
    art = CertificateArt(
        organization_name=ORGANIZATION,
        logo=picture("PNG"),
        signature=picture("PNG", (400, 110)),
        signatory_name="Margaret Ellis, MEd, CHCP",
        signatory_title="President",
    )
    return dataclasses.replace(art, **changes)


def make_content(
    kind: CertificateKind = CertificateKind.PHYSICIAN, **changes: Any
) -> CertificateContent:
    content = CertificateContent(
        kind=kind,
        recipient_name="Jane Q. Doe",
        credentials="MD" if kind is CertificateKind.PHYSICIAN else "",
        activity_title="2026 Annual Conference: Advancing Outcomes in CME",
        learning_format="live activity",
        location="Columbus, Ohio",
        start_date=date(2026, 3, 4),
        end_date=date(2026, 3, 6),
        hours=Decimal("6.5"),
        credits=Decimal("6.25") if kind is CertificateKind.PHYSICIAN else None,
        max_credits=None if kind is CertificateKind.ATTENDANCE else Decimal("6.25"),
        provider=None if kind is CertificateKind.ATTENDANCE else PROVIDER,
        joint_provider=kind is not CertificateKind.ATTENDANCE,
        organization_name=ORGANIZATION,
        issued_on=date(2026, 3, 10),
        number="2026-0042",
        verification_code="K7P-3QX",
    )
    return dataclasses.replace(content, **changes)
