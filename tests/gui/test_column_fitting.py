"""Columns fitted to their content: a table a little too wide for its view is narrowed to
fit (no scroll bar for a few pixels), one far too wide is left to scroll, and a table
not yet on screen is fitted when it shows."""

from __future__ import annotations

import gc
import weakref

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from sro_desktop.gui.column_fitting import FLOOR, fit_columns


def _table(qtbot: QtBot, texts: list[str], rows: int = 3, width: int = 600) -> QTableView:
    table = QTableView()
    model = QStandardItemModel(table)  # the table's child: deleted after the view is done
    model.setHorizontalHeaderLabels([f"Column {n}" for n in range(len(texts))])
    for _ in range(rows):
        model.appendRow([QStandardItem(text) for text in texts])
    table.setModel(model)
    table.horizontalHeader().setStretchLastSection(True)
    table.resize(width, 300)
    qtbot.addWidget(table)
    return table


def _sizes(table: QTableView) -> list[int]:
    header = table.horizontalHeader()
    return [header.sectionSize(c) for c in range(header.count())]


def _natural(qtbot: QtBot, texts: list[str], rows: int, cap: int = 400) -> list[int]:
    """The widths the columns get before any narrowing (in a table wide enough)."""
    wide = _table(qtbot, texts, rows, width=4000)
    wide.show()
    qtbot.waitExposed(wide)
    fit_columns(wide, cap=cap)
    return _sizes(wide)


def test_a_table_a_little_too_wide_is_narrowed_to_fit(qtbot: QtBot) -> None:
    texts = ["x" * 40, "y" * 30, "12", "z" * 25, "last"]
    natural = _natural(qtbot, texts, 3)
    width = sum(natural[:-1]) + 60  # too narrow by a little, once the last has its room
    table = _table(qtbot, texts, 3, width)
    table.show()
    qtbot.waitExposed(table)
    fit_columns(table, cap=400)
    header = table.horizontalHeader()
    assert header.length() <= table.viewport().width()
    sizes = _sizes(table)
    assert sizes[2] == natural[2] < FLOOR  # a narrow column keeps its width
    assert sizes[0] < natural[0] and sizes[1] < natural[1]  # the wide ones gave some up


def test_a_table_far_too_wide_is_left_to_scroll(qtbot: QtBot) -> None:
    texts = ["x" * 60] * 6
    natural = _natural(qtbot, texts, 3, cap=1000)
    table = _table(qtbot, texts, 3, width=sum(natural) // 3)
    table.show()
    qtbot.waitExposed(table)
    fit_columns(table, cap=1000)
    assert _sizes(table)[:-1] == natural[:-1]
    assert table.horizontalHeader().length() > table.viewport().width()


def test_the_scroll_bar_rows_will_need_is_counted(qtbot: QtBot) -> None:
    texts = ["x" * 40, "y" * 30, "12", "last"]
    natural = _natural(qtbot, texts, 200)
    table = _table(qtbot, texts, 1, width=sum(natural[:-1]) + 110)
    table.show()
    qtbot.waitExposed(table)
    assert not table.verticalScrollBar().isVisible()
    for _ in range(199):  # the rows arrive; the scroll bar shows only after the fit
        model = table.model()
        assert isinstance(model, QStandardItemModel)
        model.appendRow([QStandardItem(text) for text in texts])
    fit_columns(table, cap=400)
    qtbot.waitUntil(table.verticalScrollBar().isVisible)
    header = table.horizontalHeader()
    qtbot.waitUntil(lambda: header.length() <= table.viewport().width(), timeout=2000)


def test_a_hidden_table_is_fitted_when_it_shows(qtbot: QtBot) -> None:
    texts = ["x" * 40, "y" * 30, "12", "last"]
    natural = _natural(qtbot, texts, 3)
    table = _table(qtbot, texts, 3, width=sum(natural[:-1]) + 50)
    fit_columns(table, cap=400)  # not shown yet: nothing happens now
    assert _sizes(table)[0] == table.horizontalHeader().defaultSectionSize()
    table.show()
    qtbot.waitUntil(lambda: _sizes(table)[0] != table.horizontalHeader().defaultSectionSize())
    assert table.horizontalHeader().length() <= table.viewport().width()


def test_a_fitted_table_is_freed_at_once_when_let_go(qtbot: QtBot) -> None:
    """No reference cycle through the fitting helper: a cycle would be freed by the cycle
    collector, on whichever thread it runs (a background import's), deleting the table
    from outside the GUI thread; that hung a test run once."""
    table = _table(qtbot, ["x" * 40, "last"], 3, width=300)
    table.show()
    qtbot.waitExposed(table)
    fit_columns(table, cap=400)
    table.close()
    gone = weakref.ref(table)
    collecting = gc.isenabled()
    gc.disable()
    try:
        del table
        assert gone() is None
    finally:
        if collecting:
            gc.enable()
