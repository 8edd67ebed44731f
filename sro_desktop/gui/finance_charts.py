"""The Finances dashboard: three charts (QtCharts), each with its numbers in a small table
beside it — membership by status over the years, income against expenses by month, and
each meeting's registrations against its capacity.

This module imports QtCharts, which is large; the Finances page imports it only when the
dashboard is first shown, so starting the app does not pay for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QLocale, QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.gui.theme_colors import is_dark
from sro_desktop.services.currency import currency_symbol, format_money
from sro_desktop.services.finance_dashboard import (
    CHARTED_STATUSES,
    DashboardFigures,
    MeetingFill,
    StatusCounts,
)
from sro_desktop.services.ledger import MonthTotals, sum_amounts
from sro_desktop.services.membership_status import MemberStatus

STATUS_COLORS = {
    MemberStatus.CURRENT: "#2e7d4f",
    MemberStatus.GRACE: "#e0a526",
    MemberStatus.PENDING: "#4a7bbd",
    MemberStatus.LAPSED: "#b0483f",
    MemberStatus.HONORARY: "#7e5aa6",
}
INCOME_COLOR = "#2e7d4f"
EXPENSE_COLOR = "#b0483f"
REGISTERED_COLOR = "#4a7bbd"
CAPACITY_COLOR = "#c9d3e0"
CHART_HEIGHT = 270
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
# The tables beside the charts group thousands with commas (format_money); so do the axes.
AXIS_LOCALE = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def _chart() -> QChart:
    chart = QChart()
    if is_dark():  # a white chart in a dark window glares; the bars keep their colours
        chart.setTheme(QChart.ChartTheme.ChartThemeDark)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(0)
    # Axis labels with thousands separators ("$25,000", not "$25000"), like the tables.
    chart.setLocale(AXIS_LOCALE)
    chart.setLocalizeNumbers(True)
    return chart


def _bar_set(name: str, color: str, values: Sequence[float]) -> QBarSet:
    bar_set = QBarSet(name)
    bar_set.setColor(QColor(color))
    bar_set.setBorderColor(QColor(color))
    bar_set.append(list(values))
    return bar_set


def _nice_max(value: float, empty: float = 4.0) -> float:
    """A round axis maximum a little above `value` (`empty` when there is nothing yet, so
    five ticks still read 0, 1, 2, 3, 4 rather than repeating a rounded 0)."""
    if value <= 0:
        return empty
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step == 2.5 and magnitude == 1:
            continue  # 2.5 people cannot be a tick
        top = step * magnitude
        if top >= value * 1.05:
            return float(top)
    return float(10 * magnitude)


def _tick_count(top: float) -> int:
    """How many ticks make round steps from 0 to `top` (0, 5,000, 10,000 … 25,000 rather
    than 0, 6,250, 12,500 …): whole steps of 1, 2, 2.5 or 5 times a power of ten."""
    for count in (6, 5, 3):
        step = top / (count - 1)
        if step < 1 or step != int(step):
            continue
        digits = str(int(step)).rstrip("0")
        if digits in ("1", "2", "25", "5"):
            return count
    return 2


def _value_axis(label_format: str, top: float) -> QValueAxis:
    """A value axis from 0 to `top` with round ticks. With localized numbers Qt draws a
    label only for formats with a precision ("%.0f"); "%d" would leave the axis blank."""
    axis = QValueAxis()
    axis.setLabelFormat(label_format)
    axis.setRange(0, top)
    axis.setTickCount(_tick_count(top))
    return axis


class ChartPanel(QFrame):
    """A titled chart with its figures in a table beside it."""

    def __init__(self, title: str, name: str) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.chart = _chart()
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(CHART_HEIGHT)
        self.view.setAccessibleName(f"{name} chart")
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.table = QTableWidget()
        self.table.setAccessibleName(f"{name} figures")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.setAlternatingRowColors(True)
        self.heading = QLabel(f"<b>{title}</b>")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(mid);")
        row = QHBoxLayout()
        row.addWidget(self.view, 3)
        row.addWidget(self.table, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(row)
        layout.addWidget(self.note)

    def reset_chart(self) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)  # gives the axis back to us, not to Qt
            axis.deleteLater()

    def fill_table(
        self, headers: list[str], rows: list[list[str]], bold_last: bool = False
    ) -> None:
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(headers)
        for r, values in enumerate(rows):
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if c > 0:
                    item.setTextAlignment(RIGHT)
                if bold_last and r == len(rows) - 1:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Wide enough for every figure; the chart takes what is left.
        self.table.resizeColumnsToContents()
        needed = sum(self.table.sizeHintForColumn(c) for c in range(len(headers)))
        needed = max(needed, header.length())
        scrollbar = self.table.verticalScrollBar().sizeHint().width()
        self.table.setMinimumWidth(min(needed + scrollbar + 2 * self.table.frameWidth() + 8, 560))


class FinanceDashboard(QScrollArea):
    """The three charts, stacked, scrolling when the window is small."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.membership = ChartPanel("Membership by status", "Membership")
        self.money = ChartPanel("Income and expenses by month", "Income and expenses")
        self.meetings = ChartPanel("Registrations against capacity", "Registrations")
        body = QWidget()
        layout = QVBoxLayout(body)
        for panel in (self.membership, self.money, self.meetings):
            layout.addWidget(panel)
        layout.addStretch(1)
        self.setWidget(body)

    def show_data(self, data: DashboardFigures) -> None:
        self._membership(data.memberships)
        self._money(data.months, data.currency, data.year_label)
        self._meetings(data.meetings, data.year_label)

    def _membership(self, years: Sequence[StatusCounts]) -> None:
        panel = self.membership
        panel.reset_chart()
        series = QStackedBarSeries()
        for status in CHARTED_STATUSES:
            series.append(
                _bar_set(
                    status.value, STATUS_COLORS[status], [y.counts.get(status, 0) for y in years]
                )
            )
        panel.chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([y.year.label for y in years])
        axis_y = _value_axis("%.0f", _nice_max(max((y.members for y in years), default=0)))
        panel.chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        panel.chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        headers = ["Year", *(s.value for s in CHARTED_STATUSES), "Members"]
        rows = [
            [y.year.label, *(f"{y.counts.get(s, 0):,}" for s in CHARTED_STATUSES), f"{y.members:,}"]
            for y in years
        ]
        panel.fill_table(headers, rows)
        if years:
            last = years[-1]
            panel.note.setText(
                f"Counted at the end of each year ({last.year.label}: as of "
                f"{last.as_of:%b} {last.as_of.day}, {last.as_of.year}); people who had not "
                "joined yet are not counted."
            )

    def _money(self, months: Sequence[MonthTotals], currency: str, label: str) -> None:
        panel = self.money
        panel.reset_chart()
        # Bars are drawn in floats (the exact figures are in the table beside); a large
        # organization's months are drawn in thousands so the axis stays readable.
        top = max([m.income for m in months] + [m.expenses for m in months] + [Decimal(0)])
        scale, suffix = (1000, "k") if top >= 100_000 else (1, "")
        series = QBarSeries()
        series.append(_bar_set("Income", INCOME_COLOR, [float(m.income) / scale for m in months]))
        series.append(
            _bar_set("Expenses", EXPENSE_COLOR, [float(m.expenses) / scale for m in months])
        )
        panel.chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([f"{m.month:%b}" for m in months])
        axis_y = _value_axis(
            currency_symbol(currency).replace("%", "%%") + "%.0f" + suffix,
            _nice_max(float(top) / scale, empty=100.0),
        )
        panel.chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        panel.chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        rows = [
            [
                f"{m.month:%b %Y}",
                format_money(m.income, currency),
                format_money(m.expenses, currency),
                format_money(m.net, currency),
            ]
            for m in months
        ]
        income = sum_amounts([m.income for m in months])
        expenses = sum_amounts([m.expenses for m in months])
        rows.append(
            [
                label,
                format_money(income, currency),
                format_money(expenses, currency),
                format_money(income - expenses, currency),
            ]
        )
        panel.fill_table(["Month", "Income", "Expenses", "Net"], rows, bold_last=True)
        panel.note.setText(
            "Refunds count as negative income. Amounts are by the date money was received or paid."
        )

    def _meetings(self, meetings: Sequence[MeetingFill], label: str) -> None:
        panel = self.meetings
        panel.reset_chart()
        ordered = list(reversed(meetings))  # horizontal bars draw bottom-up
        series = QHorizontalBarSeries()
        series.append(_bar_set("Registered", REGISTERED_COLOR, [m.registered for m in ordered]))
        series.append(_bar_set("Capacity", CAPACITY_COLOR, [m.capacity or 0 for m in ordered]))
        panel.chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append([_short(m.title) for m in ordered] or [""])
        top = max([m.registered for m in meetings] + [m.capacity or 0 for m in meetings] + [0])
        axis_x = _value_axis("%.0f", _nice_max(top))
        panel.chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        panel.chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_y)
        series.attachAxis(axis_x)
        rows = [
            [
                m.title,
                f"{m.registered:,}",
                f"{m.waitlisted:,}",
                f"{m.capacity:,}" if m.capacity else "—",
                f"{m.percent_full}%" if m.percent_full is not None else "—",
            ]
            for m in meetings
        ]
        panel.fill_table(["Meeting", "Registered", "Waitlist", "Capacity", "Full"], rows)
        panel.note.setText(
            f"Meetings starting in {label}." if meetings else f"No meetings start in {label}."
        )
        panel.view.setVisible(bool(meetings))


def _short(title: str, limit: int = 28) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
