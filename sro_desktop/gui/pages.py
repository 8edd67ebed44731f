"""Pages for capabilities still being built: they say so plainly."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class ComingSoonPage(QWidget):
    def __init__(
        self, title: str, what: str, parent: QWidget | None = None, *, coming: bool = True
    ) -> None:
        super().__init__(parent)
        heading = QLabel(f"<h2>{title}</h2>")
        later = (
            "<br><br><i>This page is not built yet; it arrives in a coming version. "
            "Your data is safe meanwhile.</i>"
        )
        note = QLabel(what + (later if coming else ""))
        note.setWordWrap(True)
        # No Qt.AlignmentFlag here: touching PySide6's Qt namespace first costs ~50 ms,
        # and these pages are on screen before the first paint (issue 9's start-up budget).
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addStretch(1)
