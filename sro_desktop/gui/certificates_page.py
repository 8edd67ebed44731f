"""The Certificates page: issue a meeting's certificates, and the register behind them.

"Issue" shows, for the chosen meeting, who gets which certificate (and their number),
who gets none and why, and every problem, before anything prints; then prints one PDF
for the printer or one PDF per person for email, in the background with progress and
cancel, and records the batch in the register only once the files are complete. The
sign-in sheet and name badges of the meeting are a click away.

"Register" finds any certificate ever issued ("jane doe 2024", a number, a verification
code) and prints it again exactly as issued, reissues it with corrections (same number, a
reason recorded), or makes the person's CME transcript.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QDate,
    QItemSelection,
    QItemSelectionModel,
    QSettings,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.db.database import Database
from sro_desktop.db.models import Meeting
from sro_desktop.documents.badges import badges_for_meeting, render_badges
from sro_desktop.documents.certificates import Cancelled as RenderCancelled
from sro_desktop.documents.issue_batch import (
    Action,
    IssueResult,
    PreparedIssue,
    Staging,
    person_file_name,
    prepare_issue,
    preview_issue,
    reprint,
    write_issue,
)
from sro_desktop.documents.sign_in_sheet import render_sign_in_sheet, sign_in_sheet
from sro_desktop.documents.transcript_pdf import render_transcript, transcript_document
from sro_desktop.errors import DataRefused, UserError
from sro_desktop.gui.certificate_models import NotEligibleModel, PlannedModel, RegisterModel
from sro_desktop.gui.column_fitting import fit_columns
from sro_desktop.gui.errors import show_error
from sro_desktop.gui.pdf_preview import PreviewDialog, private_folder, show_pdf
from sro_desktop.gui.task_runner import Cancelled, Progress, TaskRunner
from sro_desktop.services.certificate_issuing import (
    MeetingChoice,
    meeting_choices,
    plan_certificates,
)
from sro_desktop.services.certificate_register import (
    RegisterEntry,
    find_certificate,
    normalize_code,
    register_entries,
    search_register,
)
from sro_desktop.services.changes import DataChanged
from sro_desktop.services.members import member_rows

SEARCH_DELAY_MS = 200
REASON_DELAY_MS = 400
_CHANGED_TABLES = frozenset({"certificates"})
_WATCHED = (
    "*",
    "certificates",
    "meetings",
    "registrations",
    "attendance",
    "meeting_sessions",
    "session_attendance",
    "attendance_intervals",
    "members",
    "organization_settings",
)


def _table(model: Any) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    return table


def _html_list(items: list[str]) -> str:
    escaped = [
        item.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for item in items
    ]
    return "".join(f"<li>{item}</li>" for item in escaped)


@dataclass(frozen=True)
class _Destination:
    out: Path | None
    folder: Path | None


class TranscriptDialog(QDialog):
    """Choose the dates a transcript covers (three years by default: a usual CME cycle)."""

    def __init__(self, parent: QWidget | None, name: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"CME transcript — {name}")
        today = QDate.currentDate()
        self.everything = QCheckBox("&All dates")
        self.start = QDateEdit(QDate(today.year() - 2, 1, 1))
        self.end = QDateEdit(QDate(today.year(), 12, 31))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("MMM d, yyyy")
        self.everything.toggled.connect(lambda on: self.start.setDisabled(on))
        self.everything.toggled.connect(lambda on: self.end.setDisabled(on))
        form = QFormLayout(self)
        intro = QLabel(
            f"Which meetings should {name}'s transcript list? Three years, a usual CME "
            "cycle, unless you choose otherwise."
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        form.addRow(self.everything)
        form.addRow("&From:", self.start)
        form.addRow("&To:", self.end)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Make transcript")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def period(self) -> tuple[date | None, date | None]:
        if self.everything.isChecked():
            return None, None
        return self.start.date().toPython(), self.end.date().toPython()  # type: ignore[return-value]


class CertificatesPage(QWidget):
    """Issue certificates for a meeting; search, resend and reissue from the register."""

    data_changed = Signal(object)
    status_message = Signal(str)

    def __init__(
        self, tasks: TaskRunner, settings: QSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.settings = settings
        self._database: Database | None = None
        self.prepared: PreparedIssue | None = None
        self.previews: list[PreviewDialog] = []
        self.last_result: IssueResult | None = None
        self._stale = True

        heading = QLabel("<h2>Certificates</h2>")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_issue_tab(), "Issue for a meeting")
        self.tabs.addTab(self._build_register_tab(), "Register")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)

        self._reason_timer = QTimer(self, singleShot=True, interval=REASON_DELAY_MS)
        self._reason_timer.timeout.connect(self.refresh_plan)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh_register)
        self._update_buttons()

    # -- building ------------------------------------------------------------------------

    def _build_issue_tab(self) -> QWidget:
        tab = QWidget()
        self.meeting_combo = QComboBox()
        self.meeting_combo.setAccessibleName("Meeting")
        self.meeting_combo.setMinimumContentsLength(24)
        self.meeting_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.meeting_combo.currentIndexChanged.connect(self._meeting_chosen)
        self.paper_combo = QComboBox()
        self.paper_combo.setAccessibleName("Paper size")
        self.paper_combo.addItem("US Letter", "letter")
        self.paper_combo.addItem("A4", "a4")
        saved = str(self.settings.value("certificates/paper", "letter"))
        self.paper_combo.setCurrentIndex(max(0, self.paper_combo.findData(saved)))
        self.paper_combo.currentIndexChanged.connect(self._paper_chosen)
        top = QHBoxLayout()
        top.addWidget(QLabel("Meeting:"))
        top.addWidget(self.meeting_combo, 1)
        top.addWidget(QLabel("Paper:"))
        top.addWidget(self.paper_combo)

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.RichText)
        self.problems_label.setStyleSheet(
            "QLabel { background: #FDECEA; border: 1px solid #E0A39B; border-radius: 4px; "
            "padding: 6px; color: #7A1F12; }"
        )
        self.warnings_label = QLabel()
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setStyleSheet(
            "QLabel { background: #FFF6E0; border: 1px solid #E5C77A; border-radius: 4px; "
            "padding: 6px; color: #6B4E00; }"
        )

        self.planned_model = PlannedModel()
        self.planned_table = _table(self.planned_model)
        self.planned_table.setAccessibleName("Certificates to print")
        self.not_eligible_model = NotEligibleModel()
        self.not_eligible_table = _table(self.not_eligible_model)
        self.not_eligible_table.setAccessibleName("People without a certificate")
        self.planned_box = QGroupBox("Will receive a certificate")
        box_layout = QVBoxLayout(self.planned_box)
        box_layout.addWidget(self.planned_table)
        self.not_eligible_box = QGroupBox("No certificate")
        box_layout = QVBoxLayout(self.not_eligible_box)
        box_layout.addWidget(self.not_eligible_table)
        splitter = QSplitter()
        splitter.addWidget(self.planned_box)
        splitter.addWidget(self.not_eligible_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([620, 360])  # room for "Why no certificate" (its tip has it all)

        self.reason_edit = QLineEdit()
        self.reason_edit.setAccessibleName("Reason for reissuing")
        self.reason_edit.setPlaceholderText("e.g. “credits corrected after the sign-out sheet”")
        self.reason_edit.textChanged.connect(lambda _text: self._reason_timer.start())
        self.preview_button = QPushButton("Preview")
        self.preview_button.setToolTip("See the certificates, marked PREVIEW, before issuing")
        self.preview_button.clicked.connect(self.preview_plan)
        self.print_button = QPushButton("Issue as one PDF…")
        self.print_button.setToolTip(
            "Every certificate in one PDF, for printing; they are recorded in the register"
        )
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.issue_dialog)
        self.separate_button = QPushButton("Issue as a PDF per person…")
        self.separate_button.setToolTip(
            "One PDF per person, named Lastname_Firstname_Meeting.pdf, for emailing; they are "
            "recorded in the register"
        )
        self.separate_button.clicked.connect(self.issue_separate_dialog)
        self.reason_label = QLabel("Reason for reissuing:")
        reason_row = QHBoxLayout()
        reason_row.addWidget(self.reason_label)
        reason_row.addWidget(self.reason_edit, 1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.preview_button)
        actions.addWidget(self.print_button)
        actions.addWidget(self.separate_button)

        self.session_combo = QComboBox()
        self.session_combo.setAccessibleName("Sign-in sheet for")
        self.session_combo.setMinimumContentsLength(16)
        self.session_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.sign_in_button = QPushButton("Sign-in sheet")
        self.sign_in_button.clicked.connect(self.show_sign_in_sheet)
        self.badges_button = QPushButton("Name badges")
        self.badges_button.setToolTip("Eight per US Letter sheet of Avery 5395 name badges")
        self.badges_button.clicked.connect(self.show_badges)
        self.outlines_check = QCheckBox("Draw label edges")
        self.outlines_check.setToolTip("For a test print on plain paper")
        others = QGroupBox("Other documents for this meeting")
        others_layout = QHBoxLayout(others)
        others_layout.addWidget(self.session_combo, 1)
        others_layout.addWidget(self.sign_in_button)
        others_layout.addSpacing(16)
        others_layout.addWidget(self.badges_button)
        others_layout.addWidget(self.outlines_check)

        layout = QVBoxLayout(tab)
        layout.addLayout(top)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.warnings_label)
        layout.addWidget(splitter, 1)
        layout.addLayout(reason_row)
        layout.addLayout(actions)
        layout.addWidget(others)
        return tab

    def _build_register_tab(self) -> QWidget:
        tab = QWidget()
        self.search_edit = QLineEdit()
        self.search_edit.setAccessibleName("Search the register")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(
            "Name, email, number, verification code or meeting — add a year: “jane doe 2024”"
        )
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_edit.returnPressed.connect(self.refresh_register)
        self.register_count = QLabel()
        self.verify_label = QLabel()
        self.verify_label.setWordWrap(True)
        self.register_model = RegisterModel()
        self.register_table = _table(self.register_model)
        self.register_table.setAccessibleName("Certificates issued")
        self.register_table.sortByColumn(7, Qt.SortOrder.DescendingOrder)
        self.register_table.doubleClicked.connect(lambda _index: self.resend_selected())
        self.register_table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons()
        )
        enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.register_table)
        enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        enter.activated.connect(self.resend_selected)

        self.resend_button = QPushButton("Print again (resend)…")
        self.resend_button.setToolTip(
            "The same certificate, exactly as issued: preview it, then print, save or email it"
        )
        self.resend_button.clicked.connect(self.resend_selected)
        self.save_separate_button = QPushButton("Save for emailing…")
        self.save_separate_button.setToolTip("One PDF per selected certificate, in a folder")
        self.save_separate_button.clicked.connect(self.save_selected_dialog)
        self.reissue_button = QPushButton("Reissue with corrections…")
        self.reissue_button.setToolTip(
            "Print it again from today's data (a corrected name or credits), keeping its "
            "number; the reason is recorded"
        )
        self.reissue_button.clicked.connect(self.reissue_dialog)
        self.transcript_button = QPushButton("CME transcript…")
        self.transcript_button.setToolTip(
            "The selected person's meetings and credits over the years (or choose anyone)"
        )
        self.transcript_button.clicked.connect(self.transcript_dialog)
        search = QHBoxLayout()
        search.addWidget(self.search_edit, 1)
        search.addWidget(self.register_count)
        buttons = QHBoxLayout()
        buttons.addWidget(self.resend_button)
        buttons.addWidget(self.save_separate_button)
        buttons.addWidget(self.reissue_button)
        buttons.addStretch(1)
        buttons.addWidget(self.transcript_button)
        layout = QVBoxLayout(tab)
        layout.addLayout(search)
        layout.addWidget(self.verify_label)
        layout.addWidget(self.register_table, 1)
        layout.addLayout(buttons)
        return tab

    # -- database and refreshing ---------------------------------------------------------

    def set_database(self, database: Database | None) -> None:
        self._database = database
        self.meeting_combo.clear()
        self._refresh_when_seen()

    def on_data_changed(self, change: DataChanged) -> None:
        if change.touches(*_WATCHED):
            self._refresh_when_seen()

    def _refresh_when_seen(self) -> None:
        """Re-read now if the page is on screen, else the next time it is shown (other
        pages' changes should not wait for this page's plan to be worked out)."""
        if self.isVisible():
            self._stale = False
            self.refresh_meetings()
            self.refresh_register()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._refresh_when_seen()

    @property
    def meeting_id(self) -> int | None:
        value = self.meeting_combo.currentData()
        return value if isinstance(value, int) else None

    @property
    def paper(self) -> str:
        return str(self.paper_combo.currentData() or "letter")

    def refresh_meetings(self) -> None:
        """Reload the meeting list, keeping the chosen meeting (default: the latest that
        has ended, since certificates follow a meeting)."""
        chosen = self.meeting_id
        choices: list[MeetingChoice] = []
        if self._database is not None:
            with self._database.session() as session:
                choices = meeting_choices(session)
        if chosen is None:
            ended = [c for c in choices if c.end_date <= date.today()]
            chosen = ended[0].id if ended else (choices[0].id if choices else None)
        self.meeting_combo.blockSignals(True)
        self.meeting_combo.clear()
        for choice in choices:
            self.meeting_combo.addItem(choice.label(), choice.id)
        index = self.meeting_combo.findData(chosen) if chosen is not None else -1
        self.meeting_combo.setCurrentIndex(index if index >= 0 else 0 if choices else -1)
        self.meeting_combo.blockSignals(False)
        self._fill_sessions()
        self.refresh_plan()

    def _meeting_chosen(self, _index: int) -> None:
        self.reason_edit.blockSignals(True)
        self.reason_edit.clear()
        self.reason_edit.blockSignals(False)
        self._fill_sessions()
        self.refresh_plan()

    def _paper_chosen(self, _index: int) -> None:
        self.settings.setValue("certificates/paper", self.paper)
        self.refresh_plan()

    def _fill_sessions(self) -> None:
        self.session_combo.clear()
        self.session_combo.addItem("Sign-in sheet for the whole meeting", None)
        meeting_id = self.meeting_id
        if self._database is None or meeting_id is None:
            return
        with self._database.session() as session:
            meeting = session.get(Meeting, meeting_id)
            for item in meeting.sessions if meeting else []:
                when = item.starts_at.strftime("%a %b %d, %H:%M")
                self.session_combo.addItem(f"Session: {item.title} ({when})", item.id)

    def refresh_plan(self) -> None:
        """Work out who gets which certificate, and every problem, for the chosen meeting."""
        self.prepared = None
        meeting_id = self.meeting_id
        if self._database is not None and meeting_id is not None:
            try:
                with self._database.session() as session:
                    plan = plan_certificates(session, meeting_id, date.today())
                    self.prepared = prepare_issue(
                        session,
                        plan,
                        today=date.today(),
                        page_size=self.paper,
                        reason=self.reason_edit.text(),
                    )
            except UserError as error:
                show_error(self, "Certificates", error)
        self._show_plan()

    def _show_plan(self) -> None:
        prepared = self.prepared
        self.planned_model.set_rows(prepared.certificates if prepared else [])
        self.not_eligible_model.set_rows(prepared.plan.not_eligible if prepared else [])
        if prepared is None:
            self.summary_label.setText(
                "Choose a meeting to see who receives a certificate."
                if self._database is not None
                else ""
            )
            self.problems_label.hide()
            self.warnings_label.hide()
            self._update_buttons()
            return
        plan = prepared.plan
        kinds = [
            (plan.count(kind), kind.label)
            for kind in sorted({c.kind for c in plan.certificates}, key=lambda k: k.value)
        ]
        described = ", ".join(f"{count} × {label.lower()}" for count, label in kinds)
        new, reissue, reprint_count = (
            prepared.count(Action.NEW),
            prepared.count(Action.REISSUE),
            prepared.count(Action.REPRINT),
        )
        register = [f"{new} new"] if new else []
        if reissue:
            register.append(f"{reissue} to reissue")
        if reprint_count:
            register.append(f"{reprint_count} already issued, printed again unchanged")
        self.summary_label.setText(
            f"<b>{len(prepared.certificates)} certificate"
            f"{'s' if len(prepared.certificates) != 1 else ''}</b>"
            + (f": {described}" if described else "")
            + (f" ({', '.join(register)})" if register else "")
            + f" · <b>{len(plan.not_eligible)}</b> without a certificate"
        )
        self.planned_box.setTitle(f"Will receive a certificate ({len(prepared.certificates)})")
        reissuing = reissue > 0 or bool(self.reason_edit.text())
        self.reason_label.setVisible(reissuing)
        self.reason_edit.setVisible(reissuing)
        self.not_eligible_box.setTitle(f"No certificate ({len(plan.not_eligible)})")
        if prepared.problems:
            self.problems_label.setText(
                "<b>Nothing can be printed until these are fixed:</b>"
                f"<ul style='margin:0'>{_html_list(prepared.problems)}</ul>"
            )
            self.problems_label.show()
        else:
            self.problems_label.hide()
        if prepared.warnings:
            self.warnings_label.setText("\n".join(prepared.warnings))
            self.warnings_label.show()
        else:
            self.warnings_label.hide()
        if prepared.certificates:
            fit_columns(self.planned_table, cap=260)
        if plan.not_eligible:
            fit_columns(self.not_eligible_table, cap=420)
        self._update_buttons()

    def refresh_register(self) -> None:
        entries: list[RegisterEntry] = []
        verdict = ""
        text = self.search_edit.text().strip()
        if self._database is not None:
            with self._database.session() as session:
                entries = search_register(session, text)
                code = normalize_code(text) if text else None
                if code is not None:
                    found = find_certificate(session, code)
                    verdict = (
                        f"✔ {code} is a genuine certificate: {found.number}, issued to "
                        f"{found.printed_name} for {found.meeting_title} on "
                        f"{found.issued_on:%B} {found.issued_on.day}, {found.issued_on.year}."
                        if found
                        else f"✘ No certificate has the verification code {code}."
                    )
        chosen = {entry.id for entry in self.selected_entries()}
        self.register_model.set_rows(entries)
        header = self.register_table.horizontalHeader()
        self.register_model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        fit_columns(self.register_table, cap=260)  # an empty register: to its headings
        self._reselect(chosen)
        self.register_count.setText(
            f"{len(entries):,} certificate{'s' if len(entries) != 1 else ''}"
        )
        self.verify_label.setText(verdict)
        self.verify_label.setVisible(bool(verdict))
        self._update_buttons()

    def _reselect(self, chosen: set[int]) -> None:
        """Keep the certificates that were selected selected as the search narrows; when
        the search finds exactly one, select it so its buttons are ready at once."""
        rows = [r for r, entry in enumerate(self.register_model.rows) if entry.id in chosen]
        if not rows and len(self.register_model.rows) == 1:
            rows = [0]
        selection = QItemSelection()
        for row in rows:
            selection.select(
                self.register_model.index(row, 0),
                self.register_model.index(row, self.register_model.columnCount() - 1),
            )
        self.register_table.selectionModel().select(
            selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    def _update_buttons(self) -> None:
        prepared = self.prepared
        busy = self.tasks.busy
        can_print = prepared is not None and prepared.can_print and not busy
        self.print_button.setEnabled(can_print)
        self.separate_button.setEnabled(can_print)
        self.preview_button.setEnabled(bool(prepared and prepared.certificates) and not busy)
        has_meeting = self.meeting_id is not None and not busy
        self.sign_in_button.setEnabled(has_meeting)
        self.badges_button.setEnabled(has_meeting)
        selected = self.selected_entries() if self._database is not None else []
        self.resend_button.setEnabled(bool(selected) and not busy)
        self.save_separate_button.setEnabled(bool(selected) and not busy)
        self.reissue_button.setEnabled(len(selected) == 1 and not busy)
        self.transcript_button.setEnabled(self._database is not None and not busy)

    # -- issuing -------------------------------------------------------------------------

    def _default_name(self) -> str:
        prepared = self.prepared
        title = prepared.plan.meeting.title if prepared else "Meeting"
        return person_file_name("Certificates", "", title)

    def _last_folder(self) -> Path:
        return Path(str(self.settings.value("certificates/folder", str(Path.home()))))

    def issue_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Save the certificates as one PDF",
            str(self._last_folder() / self._default_name()),
            "PDF documents (*.pdf)",
        )
        if name:
            self.settings.setValue("certificates/folder", str(Path(name).parent))
            self.issue_to(out=Path(name))

    def issue_separate_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Folder for one PDF per person", str(self._last_folder())
        )
        if folder:
            self.settings.setValue("certificates/folder", folder)
            self.issue_to(separate_dir=Path(folder))

    def issue_to(
        self, *, out: Path | None = None, separate_dir: Path | None = None
    ) -> Progress | None:
        """Issue the chosen meeting's certificates in the background; returns the task's
        Progress (to cancel it), or None if nothing was started."""
        database, meeting_id = self._database, self.meeting_id
        if database is None or meeting_id is None or self.tasks.busy:
            return None
        reason, paper, today = self.reason_edit.text(), self.paper, date.today()
        shown = self.prepared.certificates if self.prepared else []
        expected = [c.planned.member_id for c in shown]

        def work(progress: Progress) -> IssueResult:
            progress.report(0, 0, "Checking the certificates…")
            with Staging() as staging:
                title = "Issue certificates"
                with database.transaction(action=title) as session:
                    plan = plan_certificates(session, meeting_id, today)
                    prepared = prepare_issue(
                        session, plan, today=today, reason=reason, page_size=paper
                    )
                    if prepared.problems:
                        raise DataRefused("Nothing was printed: " + " ".join(prepared.problems))
                    if [c.planned.member_id for c in prepared.certificates] != expected:
                        raise DataRefused(
                            "The list of people changed since it was shown (attendance or "
                            "registrations were edited); nothing was printed. Look at the "
                            "refreshed list and issue again."
                        )
                    result = write_issue(
                        session,
                        prepared,
                        staging,
                        out=out,
                        separate_dir=separate_dir,
                        progress=lambda done, total: progress.report(
                            done, total, f"Drawing certificate {min(done + 1, total)} of {total}…"
                        ),
                        is_cancelled=lambda: progress.cancelled,
                    )
                staging.publish()
            return result

        def done(result: IssueResult) -> None:
            self.last_result = result
            if result.reissued:  # the reason was used; the next batch needs its own
                self.reason_edit.blockSignals(True)
                self.reason_edit.clear()
                self.reason_edit.blockSignals(False)
            summary = (
                f"Issued {result.pages} certificate{'s' if result.pages != 1 else ''}: "
                f"{result.new} new, {result.reissued} reissued, {result.reprinted} printed "
                "again unchanged."
            )
            self.status_message.emit(summary)
            self.data_changed.emit(DataChanged(_CHANGED_TABLES, summary))
            self._update_buttons()
            if result.combined is not None:
                self._remember(
                    show_pdf(self, result.combined, result.combined.name, result.combined.name)
                )
            if result.separate:
                self._offer_folder(result, summary)

        self._update_buttons()
        return self.tasks.run("Issuing certificates", work, done, self._issue_failed)

    def _offer_folder(self, result: IssueResult, summary: str) -> None:
        folder = result.separate[0].parent
        box = QMessageBox(self)
        box.setWindowTitle("Certificates saved")
        box.setText(f"{summary}\n\n{len(result.separate)} PDF files are in {folder}.")
        open_button = box.addButton("Open folder", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setModal(False)
        box.buttonClicked.connect(
            lambda button: (
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
                if button is open_button
                else None
            )
        )
        box.show()
        self.folder_message = box

    def _issue_failed(self, error: BaseException) -> None:
        self._update_buttons()
        if isinstance(error, Cancelled | RenderCancelled):
            self.status_message.emit("Cancelled: nothing was printed or recorded.")
            return
        show_error(self, "Issue certificates", error)
        self.refresh_plan()

    def preview_plan(self) -> None:
        prepared = self.prepared
        if prepared is None or not prepared.certificates or self.tasks.busy:
            return
        title = f"Preview — {prepared.plan.meeting.title}"

        def work(progress: Progress) -> bytes:
            buffer = BytesIO()
            preview_issue(
                prepared,
                buffer,
                progress=lambda done, total: progress.report(done, total, "Drawing…"),
                is_cancelled=lambda: progress.cancelled,
            )
            return buffer.getvalue()

        self._run_document(title, work, f"{title}.pdf")

    # -- other documents -----------------------------------------------------------------

    def _run_document(
        self, title: str, work: Any, suggested_name: str, after: Any = None
    ) -> Progress | None:
        if self.tasks.busy:
            return None

        def done(data: bytes) -> None:
            self._remember(show_pdf(self, data, title, suggested_name))
            self._update_buttons()
            if after is not None:
                after()

        def failed(error: BaseException) -> None:
            self._update_buttons()
            if isinstance(error, Cancelled | RenderCancelled):
                self.status_message.emit(f"{title}: cancelled.")
                return
            show_error(self, title, error)

        progress = self.tasks.run(title, work, done, failed)
        self._update_buttons()
        return progress

    def show_sign_in_sheet(self) -> Progress | None:
        database, meeting_id = self._database, self.meeting_id
        if database is None or meeting_id is None:
            return None
        session_id = self.session_combo.currentData()
        paper = self.paper

        def work(_progress: Progress) -> bytes:
            with database.session() as session:
                sheet = sign_in_sheet(
                    session,
                    meeting_id,
                    session_id=session_id if isinstance(session_id, int) else None,
                )
            buffer = BytesIO()
            render_sign_in_sheet(sheet, buffer, page_size=paper, printed_on=date.today())
            return buffer.getvalue()

        title = f"Sign-in sheet — {self.meeting_combo.currentText().split(' — ')[0]}"
        return self._run_document(title, work, f"{title}.pdf")

    def show_badges(self) -> Progress | None:
        database, meeting_id = self._database, self.meeting_id
        if database is None or meeting_id is None:
            return None
        outlines = self.outlines_check.isChecked()

        def work(_progress: Progress) -> bytes:
            with database.session() as session:
                sheet = badges_for_meeting(session, meeting_id)
            buffer = BytesIO()
            render_badges(sheet, buffer, outlines=outlines)
            return buffer.getvalue()

        title = f"Name badges — {self.meeting_combo.currentText().split(' — ')[0]}"
        return self._run_document(title, work, f"{title}.pdf")

    # -- the register --------------------------------------------------------------------

    def selected_entries(self) -> list[RegisterEntry]:
        rows = sorted(
            {index.row() for index in self.register_table.selectionModel().selectedRows()}
        )
        return [self.register_model.row(row) for row in rows]

    def resend_selected(self) -> Progress | None:
        """Print the selected certificates again exactly as issued, into a preview."""
        database, entries = self._database, self.selected_entries()
        if database is None or not entries:
            return None
        paper = self.paper
        ids = [entry.id for entry in entries]

        def work(progress: Progress) -> bytes:
            buffer = BytesIO()
            with database.session() as session:
                reprint(
                    session,
                    register_entries(session, ids),
                    out=buffer,
                    page_size=paper,
                    is_cancelled=lambda: progress.cancelled,
                )
            return buffer.getvalue()

        first = entries[0]
        if len(entries) == 1:
            title = f"Certificate {first.number} — {first.printed_name}"
            name = person_file_name(first.last_name, first.first_name, first.meeting_title)
        else:
            title = f"{len(entries)} certificates"
            name = "Certificates.pdf"
        return self._run_document(title, work, name)

    def save_selected(self, folder: Path) -> Progress | None:
        database, entries = self._database, self.selected_entries()
        if database is None or not entries or self.tasks.busy:
            return None
        paper = self.paper
        ids = [entry.id for entry in entries]

        def work(progress: Progress) -> tuple[Path, ...]:
            with database.session() as session:
                return reprint(
                    session,
                    register_entries(session, ids),
                    separate_dir=folder,
                    page_size=paper,
                    progress=lambda done, total: progress.report(done, total, "Saving…"),
                    is_cancelled=lambda: progress.cancelled,
                )

        def done(files: tuple[Path, ...]) -> None:
            self._update_buttons()
            self.status_message.emit(f"Saved {len(files)} PDF file(s) in {folder}")

        def failed(error: BaseException) -> None:
            self._update_buttons()
            if not isinstance(error, Cancelled | RenderCancelled):
                show_error(self, "Save for emailing", error)

        progress = self.tasks.run("Saving certificates", work, done, failed)
        self._update_buttons()
        return progress

    def save_selected_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Folder for the certificates", str(self._last_folder())
        )
        if folder:
            self.settings.setValue("certificates/folder", folder)
            self.save_selected(Path(folder))

    def reissue_dialog(self) -> None:
        entries = self.selected_entries()
        if len(entries) != 1:
            return
        entry = entries[0]
        reason, accepted = QInputDialog.getText(
            self,
            "Reissue with corrections",
            f"Certificate {entry.number} for {entry.printed_name} will be printed again from "
            "today's data and keep its number.\nWhy is it reissued? (e.g. “name misspelled”, "
            "“credits corrected”)",
        )
        if accepted:
            self.reissue(entry, reason)

    def reissue(self, entry: RegisterEntry, reason: str) -> Progress | None:
        """Reissue one certificate from today's data (same number and code, the reason
        recorded), then show it."""
        database = self._database
        if database is None or self.tasks.busy:
            return None
        reason = " ".join(reason.split())
        if not reason:
            show_error(
                self,
                "Reissue with corrections",
                DataRefused("Say why the certificate is reissued; the reason is recorded."),
            )
            return None
        paper, today = self.paper, date.today()
        name = person_file_name(entry.last_name, entry.first_name, entry.meeting_title)
        target = private_folder() / f"reissue-{entry.number}" / name

        def work(progress: Progress) -> bytes:
            target.parent.mkdir(parents=True, exist_ok=True)
            with Staging() as staging:
                with database.transaction(action=f"Reissue certificate {entry.number}") as session:
                    plan = plan_certificates(
                        session, entry.meeting_id, today, member_ids=[entry.member_id]
                    )
                    prepared = prepare_issue(
                        session,
                        plan,
                        today=today,
                        reason=reason,
                        page_size=paper,
                        force_reissue=True,
                    )
                    if prepared.problems:
                        raise DataRefused(
                            f"Certificate {entry.number} cannot be reissued: "
                            + " ".join(prepared.problems)
                        )
                    write_issue(
                        session,
                        prepared,
                        staging,
                        out=target,
                        is_cancelled=lambda: progress.cancelled,
                    )
                staging.publish()
            return target.read_bytes()

        def after() -> None:
            message = f"Reissued certificate {entry.number} ({reason})."
            self.status_message.emit(message)
            self.data_changed.emit(DataChanged(_CHANGED_TABLES, message))

        return self._run_document(f"Certificate {entry.number} — reissued", work, name, after)

    def _choose_person(self) -> tuple[int, str] | None:
        """Ask whose transcript (when no certificate is selected): a list to type into."""
        if self._database is None:
            return None
        with self._database.session() as session:
            people = member_rows(session, date.today(), include_archived=True)
        labels = [
            f"{row.last_name}, {row.first_name}" + (f" — {row.email}" if row.email else "")
            for row in people
        ]
        chosen, accepted = QInputDialog.getItem(
            self, "CME transcript", "Whose transcript? (type to find)", labels, 0, True
        )
        if not accepted or chosen not in labels:
            return None
        row = people[labels.index(chosen)]
        return row.id, f"{row.first_name} {row.last_name}"

    def transcript_dialog(self) -> None:
        entries = self.selected_entries()
        person = (
            (entries[0].member_id, entries[0].name) if len(entries) == 1 else self._choose_person()
        )
        if person is None:
            return
        dialog = TranscriptDialog(self, person[1])
        if dialog.exec() == QDialog.DialogCode.Accepted:
            start, end = dialog.period()
            self.show_transcript(person[0], start, end)

    def show_transcript(
        self, member_id: int, start: date | None = None, end: date | None = None
    ) -> Progress | None:
        database = self._database
        if database is None:
            return None
        paper = self.paper

        def work(_progress: Progress) -> bytes:
            with database.session() as session:
                document = transcript_document(session, member_id, start, end)
            buffer = BytesIO()
            render_transcript(document, buffer, issued_on=date.today(), page_size=paper)
            return buffer.getvalue()

        return self._run_document("CME transcript", work, "CME transcript.pdf")

    # -- printing from the main window ---------------------------------------------------

    def focus_search(self) -> bool:
        """Edit > Find (Ctrl+F): search the register of certificates issued."""
        self.tabs.setCurrentIndex(self.tabs.count() - 1)  # the Register tab
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()
        return True

    def _remember(self, dialog: PreviewDialog) -> None:
        self.previews.append(dialog)
        dialog.finished.connect(lambda _result: self._forget(dialog))

    def _forget(self, dialog: PreviewDialog) -> None:
        if dialog in self.previews:
            self.previews.remove(dialog)

    def print_current(self) -> bool:
        """File > Print…: print the most recent preview still open."""
        if not self.previews:
            return False
        self.previews[-1].preview.print_dialog()
        return True
