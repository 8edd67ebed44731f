"""Sizing a table's columns to their content, the same way on every page.

Each column gets the width of its widest cell (of the rows loaded) and a little air,
capped so that one long e-mail address cannot push the other columns out of sight (the
full text is in the tooltip). A stretched last column is left to fill what remains: a
width set on it would become its minimum.

Columns that come out a little wider than the table (up to a sixth of its width) would
bring a horizontal scroll bar for a few pixels of text: the wide columns give those up
instead, each in proportion to its width above `FLOOR` (amounts and dates, narrower,
keep theirs). The width is looked at again once the vertical scroll bar has appeared,
if the rows bring one. A table not on screen yet is fitted when it first shows, at the
width it then has.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QTableView

__all__ = ["fit_columns"]

PADDING = 12
#: Columns narrower than this are never narrowed to make the table fit.
FLOOR = 90
#: A table wider than its view by at most this share of the view is made to fit it.
SHARE = 1 / 6


def fit_columns(
    table: QTableView, *, cap: int = 300, caps: Mapping[int, int] | None = None
) -> None:
    """Fit the columns to their content, each at most `cap` (or its own in `caps`)."""
    fitter = table.findChild(_Fitter)
    if fitter is None:
        fitter = _Fitter(table)
    fitter.fit(cap, dict(caps or {}))


def _fit(table: QTableView, cap: int, caps: Mapping[int, int]) -> None:
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    last = header.count() - 1
    for column in range(header.count()):
        limit = caps.get(column, cap)
        if column == last and header.stretchLastSection():
            limit = min(limit, header.defaultSectionSize())
        header.resizeSection(column, min(header.sectionSize(column) + PADDING, limit))
    _narrow_to_fit(table)


def _narrow_to_fit(table: QTableView) -> None:
    header = table.horizontalHeader()
    available = table.viewport().width()
    overflow = header.length() - available
    if overflow <= 0 or overflow > available * SHARE:
        return
    stretched = header.count() - 1 if header.stretchLastSection() else None
    extra = {
        column: header.sectionSize(column) - FLOOR
        for column in range(header.count())
        if column != stretched and header.sectionSize(column) > FLOOR
    }
    room = sum(extra.values())
    if room < overflow:
        return
    for column, above in extra.items():
        cut = -(-overflow * above // room)  # rounded up: never a pixel short
        header.resizeSection(column, header.sectionSize(column) - cut)


class _Fitter(QObject):
    """One per table (its child, gone with it): fits it when it is first shown if it was
    asked to while hidden, and narrows its columns again when the vertical scroll bar
    appears and takes its width from the view.

    It finds its table as its parent and keeps no reference to it: one would make a
    cycle between the two Python wrappers, which the cycle collector may then free on
    any thread (a background import's, say), deleting a table from outside the GUI
    thread."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self._pending: tuple[int, dict[int, int]] | None = None
        self._narrow_on_scroll_bar = False
        table.installEventFilter(self)
        table.verticalScrollBar().installEventFilter(self)

    def _table(self) -> QTableView:
        table = self.parent()
        assert isinstance(table, QTableView)
        return table

    def fit(self, cap: int, caps: dict[int, int]) -> None:
        table = self._table()
        if not table.isVisible():
            self._pending = (cap, caps)  # the latest wish counts
            return
        self._pending = None
        _fit(table, cap, caps)
        self._narrow_on_scroll_bar = not table.verticalScrollBar().isVisible()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            is_table = isinstance(watched, QTableView)
            if is_table and self._pending is not None:
                # After the layouts have given the table its width.
                QTimer.singleShot(0, self, self._fit_pending)
            elif not is_table and self._narrow_on_scroll_bar:
                self._narrow_on_scroll_bar = False
                QTimer.singleShot(0, self, self._narrow)  # once the view is narrower
        return False

    def _fit_pending(self) -> None:
        if self._pending is not None and self._table().isVisible():
            self.fit(*self._pending)

    def _narrow(self) -> None:
        _narrow_to_fit(self._table())
