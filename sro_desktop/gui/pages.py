"""The page shown in each section for the moment between the first paint and the real
pages being built: its name and "Loading…".

Plain text and a font, no rich text (parsing `<h2>` costs ~2 ms a page) and no
Qt.AlignmentFlag (touching PySide6's Qt namespace first costs ~50 ms): these pages are on
screen before the first paint, inside issue 9's start-up budget.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class LoadingPage(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(title)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(QLabel("Loading…"))
        layout.addStretch(1)
