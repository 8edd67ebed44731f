"""Quality-pass fixes a volunteer treasurer would trip over: chart axes that read like the
tables beside them, dialogs and pages that behave as a desktop app should."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path
from typing import Any

from PySide6.QtCharts import QValueAxis
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from sro_desktop.gui.finance_charts import ChartPanel
from sro_desktop.gui.finances_page import DASHBOARD
from sro_desktop.gui.main_window import MainWindow
from sro_desktop.gui.pdf_preview import show_pdf


def _value_axis(panel: ChartPanel) -> QValueAxis:
    [axis] = [a for a in panel.chart.axes() if isinstance(a, QValueAxis)]
    return axis


def _tick_values(axis: QValueAxis) -> list[float]:
    count = axis.tickCount()
    step = (axis.max() - axis.min()) / (count - 1)
    return [axis.min() + i * step for i in range(count)]


def test_dashboard_axes_have_round_ticks_and_thousands_separators(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    assert window.open_database_file(demo_path)
    window.show_page("Finances")
    page = window.finances_page
    assert page.select_year(2026)
    page.tabs.setCurrentIndex(DASHBOARD)
    qtbot.waitUntil(lambda: page.dashboard_shown is not None, timeout=10000)
    dashboard = page.dashboard
    assert dashboard is not None

    money = _value_axis(dashboard.money)
    assert money.labelFormat() == "$%.0f"
    ticks = _tick_values(money)
    assert ticks[-1] >= 10_000  # the demo's busiest month is about $20,000
    assert all(t == int(t) and int(t) % 1000 == 0 for t in ticks), ticks
    chart = dashboard.money.chart
    assert chart.localizeNumbers()
    # The label Qt draws for a tick is the chart locale's number: grouped by thousands.
    assert chart.locale().toString(int(ticks[-1])) == f"{int(ticks[-1]):,}"

    for panel in (dashboard.membership, dashboard.meetings):
        axis = _value_axis(panel)
        # Localized labels are drawn only for formats with a precision; "%d" draws none.
        assert re.fullmatch(r"[^%]*%\.\d+[defgiEG].*", axis.labelFormat()), axis.labelFormat()
        assert panel.chart.localizeNumbers()
        ticks = _tick_values(axis)
        steps = {round(b - a, 6) for a, b in pairwise(ticks)}
        assert len(steps) == 1
        [step] = steps
        assert step == int(step) and str(int(step)).rstrip("0") in ("1", "2", "25", "5"), step


def _one_page_pdf(path: Path) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path))
    canvas.drawString(72, 720, "A receipt")
    canvas.save()
    return path


def test_pdf_preview_remembers_its_size_and_the_folder_of_the_last_copy(
    qtbot: QtBot, tmp_path: Path
) -> None:
    QSettings().clear()
    source = _one_page_pdf(tmp_path / "receipt.pdf")
    first = show_pdf(None, source, "Receipt", "Receipt 000001.pdf")
    qtbot.addWidget(first)
    assert first.preview.copy_folder() == Path.home()  # nothing saved yet
    copies = tmp_path / "for the board"
    copies.mkdir()
    first.preview.save_copy(copies / "Receipt 000001.pdf")
    first.resize(700, 480)
    first.reject()  # Esc

    second = show_pdf(None, source, "Receipt", "Receipt 000001.pdf")
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (700, 480)
    assert second.preview.copy_folder() == copies
    second.reject()
    QSettings().clear()


def test_escape_at_the_door_clears_the_box_then_leaves_full_screen_never_closes(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    assert window.open_database_file(demo_path)
    page = window.meetings_page
    page.refresh()
    screen = page.open_checkin()
    assert screen is not None
    qtbot.waitExposed(screen)
    screen.showFullScreen()
    qtbot.waitUntil(screen.isFullScreen)
    screen.search_edit.setFocus()
    qtbot.keyClicks(screen.search_edit, "ahm")
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Escape)
    assert screen.search_edit.text() == ""
    assert screen.isFullScreen()
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not screen.isFullScreen())
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Escape)
    assert screen.isVisible()
    screen.close()


def test_register_search_keeps_the_selection_and_selects_a_single_match(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tmp_path: Path
) -> None:
    assert window.open_database_file(demo_path)
    window.show_page("Certificates")
    page = window.certificates_page
    index = page.meeting_combo.findText("Annual Conference", flags=Qt.MatchFlag.MatchContains)
    page.meeting_combo.setCurrentIndex(index)
    page.issue_to(out=tmp_path / "annual.pdf")
    qtbot.waitUntil(lambda: not page.tasks.busy, timeout=30000)
    page.tabs.setCurrentIndex(1)
    some = page.register_model.rows[3]

    page.search_edit.setText(some.number)  # "jane doe 2024", or a number: one certificate
    page.refresh_register()
    assert [e.id for e in page.selected_entries()] == [some.id]
    assert page.resend_button.isEnabled() and page.reissue_button.isEnabled()

    page.search_edit.setText("2026")  # widening the search keeps the chosen one chosen
    page.refresh_register()
    assert page.register_model.rowCount() > 1
    assert [e.id for e in page.selected_entries()] == [some.id]
    assert page.resend_button.isEnabled()


def _finances_table(
    qtbot: QtBot, window: MainWindow, demo_path: Path, tab: int, *, at_least: int
) -> Any:
    """The table of a Finances tab for 2026, in a laptop-sized window, once it has rows."""
    window.resize(1100, 700)
    assert window.open_database_file(demo_path)
    window.show_page("Finances")
    page = window.finances_page
    assert page.select_year(2026)
    page.tabs.setCurrentIndex(tab)
    table = page.tabs.widget(tab).table  # type: ignore[union-attr]  # a ledger tab
    qtbot.waitUntil(lambda: table.model().rowCount() > at_least, timeout=10000)
    return table


def test_the_reconciled_ticks_are_in_sight_on_a_laptop_window(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    from sro_desktop.gui.finances_page import INCOME
    from sro_desktop.gui.ledger_models import INCOME_RECONCILED

    table = _finances_table(qtbot, window, demo_path, INCOME, at_least=100)
    header = table.horizontalHeader()
    right_edge = header.sectionPosition(INCOME_RECONCILED) + header.sectionSize(INCOME_RECONCILED)
    assert right_edge <= table.viewport().width()
    # A meeting's name cut short by the narrower column is whole in its tooltip.
    meeting_column = 3
    model = table.model()
    rows = [r for r in range(model.rowCount()) if model.index(r, meeting_column).data()]
    assert rows
    index = model.index(rows[0], meeting_column)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == index.data()


def test_the_status_bar_says_what_an_expense_action_did(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    from datetime import date
    from decimal import Decimal

    from sro_desktop.db.models import PaymentMethod
    from sro_desktop.gui.finances_page import EXPENSES, INCOME
    from sro_desktop.services.ledger import ExpenseValues

    assert window.open_database_file(demo_path)
    window.show_page("Finances")
    page = window.finances_page
    assert page.select_year(2026)
    page.tabs.setCurrentIndex(EXPENSES)
    values = ExpenseValues(
        paid_on=date(2026, 9, 25),
        amount=Decimal("1250.00"),
        category="Venue",
        method=PaymentMethod.CHECK,
        reference="3001",
        payee="Harborview Hotel",
    )
    assert page.add_expense(values)
    status = window.statusBar()
    assert status.currentMessage() == "Added an expense: 1,250.00 to Harborview Hotel (Venue)"
    assert window.undo_stack.undoText() == "Add expense"  # the Edit menu keeps its short name
    window.undo_stack.undo()
    assert status.currentMessage() == (
        "Took back the expense of 1,250.00 to Harborview Hotel (Venue)"
    )

    page.tabs.setCurrentIndex(INCOME)
    tab = page.income_tab
    tab.table.selectRow(0)
    tab.mark_button.click()
    assert status.currentMessage() == "Marked 1 payment reconciled with the bank statement"


def _help_open(window: MainWindow) -> bool:
    from sro_desktop.gui.help_window import HelpWindow

    return bool(window.findChildren(HelpWindow))


def test_the_guide_closes_from_the_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    from sro_desktop.gui.help_window import show_help

    for key, modifier in (
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
    ):
        guide = show_help(window)
        qtbot.waitExposed(guide)
        guide.activateWindow()
        qtbot.waitUntil(guide.isActiveWindow)
        guide.browser.setFocus()
        qtbot.waitUntil(guide.browser.hasFocus)
        guide.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # to look at it after
        qtbot.keyClick(guide.browser, key, modifier)
        assert not guide.isVisible(), key
        guide.deleteLater()
        qtbot.waitUntil(lambda: not _help_open(window))


def test_who_owes_shows_the_amount_outstanding_without_scrolling(
    qtbot: QtBot, window: MainWindow, demo_path: Path
) -> None:
    from sro_desktop.gui.finances_page import OWED

    table = _finances_table(qtbot, window, demo_path, OWED, at_least=10)
    header = table.horizontalHeader()
    last = table.model().columnCount() - 1
    assert table.model().headerData(last, Qt.Orientation.Horizontal) == "Outstanding"
    # The amount column is wholly inside the view (amounts are right-aligned: a column
    # running under the scroll bar cuts them off), with room for "$12,345.00".
    assert header.sectionPosition(last) + header.sectionSize(last) <= table.viewport().width()
    assert header.sectionSize(last) >= table.fontMetrics().horizontalAdvance("$12,345.00")
