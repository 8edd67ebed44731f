"""Finding and merging duplicates: the weighted rule, the pairs it finds, and each pair
side by side with a choice per field of whose value stays.

The search runs in the background with progress and Cancel. A merge or a "not a
duplicate" mark is one undoable action; the pair then leaves the list.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from sro_desktop.db.backup import take_backup
from sro_desktop.errors import UserError
from sro_desktop.gui.errors import report_bug, show_error
from sro_desktop.gui.member_actions import MemberActions
from sro_desktop.gui.task_runner import Cancelled, Progress
from sro_desktop.gui.text_rows_model import TextRowsModel
from sro_desktop.services.duplicates import (
    MERGE_FIELDS,
    MERGE_LABELS,
    Choice,
    DuplicatePair,
    DuplicateRule,
    MergeCandidate,
    check_merge,
    find_duplicates,
    mark_not_duplicate,
    merge_candidate,
    merge_members,
)

WEIGHTS = (
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("organization", "Organization"),
)


class PairComparison(QGroupBox):
    """Two people side by side: which record stays, and per field whose value stays."""

    def __init__(self) -> None:
        super().__init__("Compare")
        self.people: tuple[MergeCandidate, MergeCandidate] | None = None
        self.keep_a = QRadioButton()
        self.keep_b = QRadioButton()
        self.keep_group = QButtonGroup(self)
        self.keep_group.addButton(self.keep_a, 0)
        self.keep_group.addButton(self.keep_b, 1)
        self.field_groups: dict[str, QButtonGroup] = {}
        self.field_buttons: dict[str, tuple[QRadioButton, QRadioButton]] = {}
        self.both_notes = QCheckBox("Keep both")
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.addWidget(QLabel("<b>Record kept</b>"), 0, 0)
        grid.addWidget(self.keep_a, 0, 1)
        grid.addWidget(self.keep_b, 0, 2)
        for row, name in enumerate(MERGE_FIELDS, start=1):
            a, b = QRadioButton(), QRadioButton()
            group = QButtonGroup(self)
            group.addButton(a, 0)
            group.addButton(b, 1)
            self.field_groups[name] = group
            self.field_buttons[name] = (a, b)
            grid.addWidget(QLabel(MERGE_LABELS[name]), row, 0)
            grid.addWidget(a, row, 1)
            grid.addWidget(b, row, 2)
        grid.addWidget(self.both_notes, len(MERGE_FIELDS) + 1, 1)
        self.both_notes.toggled.connect(self._notes_toggled)
        self.keep_group.idToggled.connect(self._keep_toggled)
        inner = QWidget()
        inner.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        QVBoxLayout(self).addWidget(scroll)
        self.setEnabled(False)

    def show_pair(self, a: MergeCandidate, b: MergeCandidate) -> None:
        self.people = (a, b)
        self.setEnabled(True)
        self.keep_a.setText(f"#{a.id} {a.name}\n{a.describe_history()}")
        self.keep_b.setText(f"#{b.id} {b.name}\n{b.describe_history()}")
        # By default the record with more history stays; on a tie, the older one.
        keep_b = b.history > a.history
        (self.keep_b if keep_b else self.keep_a).setChecked(True)
        for name, (button_a, button_b) in self.field_buttons.items():
            text_a, text_b = a.fields[name] or "—", b.fields[name] or "—"
            button_a.setText(text_a)
            button_b.setText(text_b)
            same = a.fields[name] == b.fields[name]
            button_a.setEnabled(not same)
            button_b.setEnabled(not same)
            # Prefer a value over a blank; else the kept record's value.
            if not a.fields[name] and b.fields[name]:
                button_b.setChecked(True)
            elif a.fields[name] and not b.fields[name]:
                button_a.setChecked(True)
            else:
                (button_b if keep_b else button_a).setChecked(True)
        both = bool(
            a.fields["notes"] and b.fields["notes"] and a.fields["notes"] != b.fields["notes"]
        )
        self.both_notes.setEnabled(both)
        self.both_notes.setChecked(both)

    def _keep_toggled(self, button_id: int, checked: bool) -> None:
        if not checked or self.people is None:
            return
        a, b = self.people
        # Fields where both have a value follow the record kept.
        for name, (button_a, button_b) in self.field_buttons.items():
            if a.fields[name] and b.fields[name] and a.fields[name] != b.fields[name]:
                (button_b if button_id == 1 else button_a).setChecked(True)

    def _notes_toggled(self, both: bool) -> None:
        for button in self.field_buttons["notes"]:
            button.setEnabled(
                not both
                and self.people is not None
                and self.people[0].fields["notes"] != self.people[1].fields["notes"]
            )

    def choices(self) -> tuple[int, int, dict[str, Choice]]:
        """(keep id, other id, choices per field as merge_members takes them)."""
        assert self.people is not None
        a, b = self.people
        keep_is_b = self.keep_b.isChecked()
        keep, other = (b, a) if keep_is_b else (a, b)
        choices: dict[str, Choice] = {}
        for name, group in self.field_groups.items():
            picked_b = group.checkedId() == 1
            choices[name] = "keep" if picked_b == keep_is_b else "other"
        if self.both_notes.isChecked() and self.both_notes.isEnabled():
            choices["notes"] = "both"
        return keep.id, other.id, choices

    def clear(self) -> None:
        self.people = None
        self.setEnabled(False)


class DuplicatesView(QDialog):
    def __init__(self, actions: MemberActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.member_actions = actions
        self.setWindowTitle("Find duplicates")
        self.pairs: list[DuplicatePair] = []
        self.names: dict[int, str] = {}
        defaults = DuplicateRule()
        self.weights: dict[str, QDoubleSpinBox] = {}
        rule_bar = QHBoxLayout()
        for name, label in WEIGHTS:
            box = QDoubleSpinBox()
            box.setRange(0, 20)
            box.setDecimals(1)
            box.setValue(getattr(defaults, name))
            box.setAccessibleName(f"{label} weight")
            self.weights[name] = box
            rule_bar.addWidget(QLabel(f"{label}:"))
            rule_bar.addWidget(box)
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(0.5, 50)
        self.threshold.setDecimals(1)
        self.threshold.setValue(defaults.threshold)
        self.threshold.setAccessibleName("Threshold")
        rule_bar.addWidget(QLabel("Report at score ≥"))
        rule_bar.addWidget(self.threshold)
        self.find_button = QPushButton("&Find duplicates")
        self.find_button.setDefault(True)
        rule_bar.addWidget(self.find_button)
        rule_box = QGroupBox("Weights: each field that matches adds its weight (a near match half)")
        rule_box.setLayout(rule_bar)

        self.model = TextRowsModel(["Score", "Person", "Person", "Why"], numeric=(0,))
        self.model.setParent(self)  # owned by the window, deleted by Qt in order
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._pair_chosen)
        self.comparison = PairComparison()
        self.merge_button = QPushButton("&Merge")
        self.distinct_button = QPushButton("&Not a duplicate")
        self.merge_button.clicked.connect(self.merge)
        self.distinct_button.clicked.connect(self.not_duplicate)
        self.summary = QLabel("Press Find to look for people entered twice.")

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.comparison)
        splitter.setSizes([220, 380])
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.distinct_button)
        buttons.addWidget(self.merge_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(rule_box)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.find_button.clicked.connect(self.find_pairs)
        self._set_pair_buttons(False)
        self.resize(1000, 700)

    def rule(self) -> DuplicateRule:
        return DuplicateRule(
            **{name: box.value() for name, box in self.weights.items()},
            threshold=self.threshold.value(),
        )

    def find_pairs(self) -> None:
        database = self.member_actions.database
        if database is None or self.member_actions.window.tasks.busy:
            return
        rule = self.rule()

        def work(progress: Progress) -> tuple[list[DuplicatePair], dict[int, str]]:
            def report(done: int, total: int) -> None:
                progress.report(done, total, "Comparing people…")
                progress.check()

            with database.session() as session:
                pairs = find_duplicates(session, rule, progress=report)
                ids = {i for p in pairs for i in (p.first_id, p.second_id)}
                names = _names(session, ids)
            return pairs, names

        def failed(error: BaseException) -> None:
            if isinstance(error, Cancelled):
                self.summary.setText("Stopped.")
            elif isinstance(error, UserError):
                show_error(self, "Find duplicates", error)
            else:
                report_bug(self, "Find duplicates", error)

        self.summary.setText("Looking for duplicates…")
        self.member_actions.window.tasks.run("Find duplicates", work, self.show_pairs, failed)

    def show_pairs(self, found: tuple[list[DuplicatePair], dict[int, str]]) -> None:
        self.pairs, self.names = found
        self._fill()

    def _fill(self, select_row: int = 0) -> None:
        self.model.set_rows(
            [
                (
                    index,
                    (
                        f"{pair.score:g}",
                        f"#{pair.first_id} {self.names.get(pair.first_id, '')}",
                        f"#{pair.second_id} {self.names.get(pair.second_id, '')}",
                        ", ".join(pair.reasons),
                    ),
                )
                for index, pair in enumerate(self.pairs)
            ]
        )
        count = len(self.pairs)
        self.summary.setText(
            f"{count} likely duplicate pair{'s' if count != 1 else ''}"
            if count
            else "No likely duplicates at this threshold."
        )
        if count:
            row = min(select_row, count - 1)
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        else:
            self.comparison.clear()
            self._set_pair_buttons(False)

    def _set_pair_buttons(self, enabled: bool) -> None:
        self.merge_button.setEnabled(enabled)
        self.distinct_button.setEnabled(enabled)

    def current_pair(self) -> DuplicatePair | None:
        index = self.table.currentIndex()
        return (
            self.pairs[index.row()] if index.isValid() and index.row() < len(self.pairs) else None
        )

    def _pair_chosen(self) -> None:
        pair = self.current_pair()
        if pair is None:
            return
        try:
            a, b = self.member_actions.read(
                lambda session: (
                    merge_candidate(session, pair.first_id),
                    merge_candidate(session, pair.second_id),
                )
            )
        except UserError:  # merged or deleted since the search
            self._drop({pair.first_id, pair.second_id} - self._existing(pair))
            return
        self.comparison.show_pair(a, b)
        self._set_pair_buttons(True)

    def _existing(self, pair: DuplicatePair) -> set[int]:
        def exists(session: Session) -> set[int]:
            return {i for i in (pair.first_id, pair.second_id) if _names(session, {i})}

        return self.member_actions.read(exists)

    def _drop(self, removed_ids: set[int], pair: DuplicatePair | None = None) -> None:
        row = self.table.currentIndex().row()
        self.pairs = [
            p for p in self.pairs if p is not pair and not ({p.first_id, p.second_id} & removed_ids)
        ]
        self._fill(max(row, 0))

    def merge(self) -> None:
        pair = self.current_pair()
        if pair is None:
            return
        keep, other, choices = self.comparison.choices()
        name = self.names.get(keep, f"#{keep}")
        if not self._mergeable(f"Merge {name}", keep, other, choices):
            return
        if not self._back_up_before_merge(f"Merge {name}"):
            return
        ok, _ = self.member_actions.run(
            f"Merge {name}",
            lambda session: merge_members(session, keep, other, choices),
            lambda merged: f"{merged.summary()}",
            parent=self,
        )
        if ok:
            self._drop({other}, pair)

    def _mergeable(
        self, what: str, keep: int, other: int, choices: Mapping[str, Choice]
    ) -> bool:
        """Whether the merge would go ahead; if not, why is shown (and no backup made)."""
        database = self.member_actions.database
        if database is None:
            return True  # `run` says that no database is open
        try:
            with database.session() as session:
                check_merge(session, keep, other, choices)
        except UserError as error:
            show_error(self, what, error)
            return False
        return True

    def _back_up_before_merge(self, what: str) -> bool:
        """Take a "before-merge" backup (a merge moves a person's whole record; undo only
        lasts while the app is open); False, with the reason shown, if it could not."""
        database = self.member_actions.database
        if database is None:
            return True  # `run` says that no database is open
        try:
            take_backup(database.path, "before-merge")
        except OSError as error:
            reason = error.strerror or str(error)
            show_error(
                self,
                what,
                UserError(
                    f"The database could not be backed up before merging ({reason}); nothing "
                    "was merged. Check the disk has free space, then try again."
                ),
            )
            return False
        return True

    def not_duplicate(self) -> None:
        pair = self.current_pair()
        if pair is None:
            return
        ok, _ = self.member_actions.run(
            "Mark as not a duplicate",
            lambda session: mark_not_duplicate(session, pair.first_id, pair.second_id),
            lambda _none: (
                f"Remembered: #{pair.first_id} and #{pair.second_id} are different people"
            ),
            parent=self,
        )
        if ok:
            self._drop(set(), pair)


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    from sqlalchemy import select

    from sro_desktop.db.models import Member

    if not ids:
        return {}
    rows = session.execute(
        select(Member.id, Member.first_name, Member.last_name).where(Member.id.in_(ids))
    )
    return {row.id: f"{row.first_name} {row.last_name}" for row in rows}


def duplicates_view(actions: MemberActions, parent: QWidget | None = None) -> DuplicatesView:
    view = DuplicatesView(actions, parent)
    view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    view.show()
    return view
