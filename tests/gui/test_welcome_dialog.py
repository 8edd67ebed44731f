"""The first-run welcome as a new user meets it: filled in, started with demo data, an
import or an empty list, skipped, and never shown again once a database exists."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from sro_desktop.db.models import Member
from sro_desktop.errors import DataRefused
from sro_desktop.gui.application import NO_WELCOME_ENV, QUIT_AFTER_ENV, is_first_run
from sro_desktop.gui.import_wizard import ImportWizard
from sro_desktop.gui.main_window import MainWindow
from sro_desktop.gui.welcome_dialog import StartWith, WelcomeDialog, run_welcome
from sro_desktop.paths import DATABASE_ENV, default_database_path
from sro_desktop.services.organization import (
    OrganizationDetails,
    demo_overlay,
    organization_details,
)
from tests.spreadsheets.import_files import write_messy_roster

TIMEOUT = 20_000


@pytest.fixture
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's data folder with nothing in it, and no variable that skips the welcome."""
    folder = tmp_path / "user-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    for name in (DATABASE_ENV, QUIT_AFTER_ENV, NO_WELCOME_ENV):
        monkeypatch.delenv(name, raising=False)
    return folder


def _picture(path: Path, kind: str = "PNG", size: tuple[int, int] = (300, 100)) -> Path:
    out = BytesIO()
    Image.new("RGB", size, (31, 95, 168)).save(out, kind)
    path.write_bytes(out.getvalue())
    return path


def _fill(dialog: WelcomeDialog, logo: Path | None = None) -> None:
    form = dialog.form
    form.edits["name"].setText("Keystone Society for CME Professionals")
    form.edits["short_name"].setText("KSCP")
    form.edits["states"].setText("Pennsylvania, NJ")
    form.edits["signatory_name"].setText("Rosalind Okafor, PhD")
    form.edits["signatory_title"].setText("Board Chair")
    form.fiscal_month.setCurrentIndex(6)  # July
    form.currency.setCurrentIndex(form.currency.findData("CAD"))
    if logo is not None:
        form.logo.load_file(logo)


def _answer_welcome(act: Callable[[WelcomeDialog], None]) -> None:
    """When the welcome appears (modal), do `act` to it."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, WelcomeDialog)
        act(dialog)

    QTimer.singleShot(0, answer)


def _people(window: MainWindow) -> int:
    assert window.database is not None
    with window.database.session() as session:
        return session.scalar(select(func.count()).select_from(Member)) or 0


def _details(window: MainWindow) -> OrganizationDetails:
    assert window.database is not None
    with window.database.session() as session:
        return organization_details(session)


def test_the_welcome_creates_the_database_in_the_data_folder_with_the_settings(
    qtbot: QtBot, window: MainWindow, settings: QSettings, data_folder: Path, tmp_path: Path
) -> None:
    assert is_first_run(None, settings)
    path = default_database_path()
    assert path.is_relative_to(data_folder)
    logo = _picture(tmp_path / "logo.png")

    def start(dialog: WelcomeDialog) -> None:
        assert not dialog.start_button.isEnabled()  # a name is needed first
        _fill(dialog, logo)
        assert dialog.start_button.isEnabled()
        dialog.start_button.click()

    _answer_welcome(start)
    assert run_welcome(window, path)
    assert path.exists()
    assert window.database is not None and window.database.path == path
    saved = _details(window)
    assert saved.name == "Keystone Society for CME Professionals"
    assert saved.states == "PA,NJ"
    assert (saved.signatory_name, saved.signatory_title) == ("Rosalind Okafor, PhD", "Board Chair")
    assert (saved.fiscal_year_start_month, saved.currency) == (7, "CAD")
    assert saved.logo == logo.read_bytes()
    assert _people(window) == 0
    # The second start opens that database without a welcome.
    assert not is_first_run(None, settings)


def test_demo_data_keeps_what_was_typed(
    qtbot: QtBot, window: MainWindow, data_folder: Path
) -> None:
    def start(dialog: WelcomeDialog) -> None:
        dialog.demo.setChecked(True)
        assert dialog.start_button.isEnabled()  # the demo needs no name
        dialog.form.edits["name"].setText("Keystone Society")
        dialog.form.edits["signatory_name"].setText("Rosalind Okafor, PhD")
        dialog.start_button.click()

    _answer_welcome(start)
    assert run_welcome(window, default_database_path())
    qtbot.waitUntil(
        lambda: "Loaded demo data: 260 members" in window.statusBar().currentMessage(),
        timeout=TIMEOUT,
    )
    assert _people(window) > 260  # members and other contacts
    saved = _details(window)
    assert (saved.name, saved.signatory_name) == ("Keystone Society", "Rosalind Okafor, PhD")
    # Nothing of the made-up organization prints on theirs.
    assert (saved.short_name, saved.address, saved.email) == ("", "", "")


def test_demo_details_stand_in_when_no_name_was_typed() -> None:
    demo = OrganizationDetails(name="Tri-State", signatory_name="Dana", currency="USD")
    typed = OrganizationDetails(currency="CAD", fiscal_year_start_month=7)
    assert demo_overlay(demo, typed) == demo.changed(currency="CAD", fiscal_year_start_month=7)
    named = OrganizationDetails(name="Keystone")
    assert demo_overlay(demo, named) == named


def test_skipping_the_welcome_still_opens_an_empty_database(
    qtbot: QtBot, window: MainWindow, settings: QSettings, data_folder: Path
) -> None:
    _answer_welcome(lambda dialog: dialog.skip_button.click())
    path = default_database_path()
    assert run_welcome(window, path)
    assert path.exists()
    assert window.database is not None and window.database.path == path
    assert _people(window) == 0
    assert _details(window).name == ""
    assert "File > Settings" in window.statusBar().currentMessage()
    assert not is_first_run(None, settings)


def test_the_import_choice_opens_the_import_wizard_on_the_spreadsheet(
    qtbot: QtBot, window: MainWindow, data_folder: Path, tmp_path: Path
) -> None:
    roster = write_messy_roster(tmp_path / "Members 2026.xlsx")

    def start(dialog: WelcomeDialog) -> None:
        _fill(dialog)
        dialog.import_.setChecked(True)
        assert not dialog.start_button.isEnabled()  # which spreadsheet?
        assert "Choose your membership spreadsheet" in dialog.problem.text()
        dialog.set_spreadsheet(roster)
        assert dialog.answers().start_with is StartWith.IMPORT
        dialog.start_button.click()

    _answer_welcome(start)
    assert run_welcome(window, default_database_path())
    wizard = window.findChild(ImportWizard)
    assert isinstance(wizard, ImportWizard) and wizard.isVisible()
    qtbot.waitUntil(wizard.source_page.isComplete, timeout=TIMEOUT)
    assert _details(window).name == "Keystone Society for CME Professionals"
    wizard.reject()


def test_the_form_says_what_is_wrong_as_it_is_typed(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = WelcomeDialog(tmp_path / "org.sqlite3")
    qtbot.addWidget(dialog)
    dialog.show()
    form = dialog.form
    assert not dialog.start_button.isEnabled()
    assert "Type your organization's name" in dialog.problem.text()
    form.edits["name"].setText("Keystone")
    assert dialog.start_button.isEnabled()
    form.edits["states"].setText("PA, Nwe Jersey")
    assert not dialog.start_button.isEnabled()
    message = form.messages["states"]
    assert message.isVisible()
    assert "did you mean New Jersey (NJ)?" in message.text()
    form.edits["states"].setText("PA, New Jersey")
    assert dialog.start_button.isEnabled()
    assert not dialog.problem.isVisible()
    assert dialog.answers().details.states == "PA, New Jersey"  # saved as codes


def test_a_logo_is_previewed_converted_or_refused(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = WelcomeDialog(tmp_path / "org.sqlite3")
    qtbot.addWidget(dialog)
    field = dialog.form.logo
    assert not field.remove_button.isEnabled()
    field.load_file(_picture(tmp_path / "logo.png"))
    assert field.preview.pixmap() is not None and not field.preview.pixmap().isNull()
    assert "PNG picture, 300 × 100 pixels" in field.description.text()
    # A GIF (or BMP, WebP) becomes a PNG the certificates can print.
    field.load_file(_picture(tmp_path / "logo.gif", "GIF"))
    assert field.data is not None and field.data.startswith(b"\x89PNG")
    kept = field.data
    with pytest.raises(DataRefused, match="4500 × 50 pixels"):
        field.load_file(_picture(tmp_path / "banner.png", size=(4500, 50)))
    (tmp_path / "notes.png").write_text("not a picture")
    with pytest.raises(DataRefused, match="not a picture SRO Desktop can read"):
        field.load_file(tmp_path / "notes.png")
    assert field.data == kept  # a refused file leaves the chosen logo alone
    field.remove_button.click()
    assert field.data is None
    assert dialog.answers().details.logo is None


def test_when_the_welcome_is_not_shown(
    settings: QSettings, data_folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert is_first_run(None, settings)
    assert not is_first_run(tmp_path / "named.sqlite3", settings)  # --db names one
    monkeypatch.setenv(NO_WELCOME_ENV, "1")
    assert not is_first_run(None, settings)
    monkeypatch.setenv(NO_WELCOME_ENV, "0")
    assert is_first_run(None, settings)
    monkeypatch.setenv(QUIT_AFTER_ENV, "300")  # benchmarks and smoke tests
    assert not is_first_run(None, settings)
    monkeypatch.delenv(QUIT_AFTER_ENV)
    monkeypatch.setenv(DATABASE_ENV, str(tmp_path / "env.sqlite3"))
    assert not is_first_run(None, settings)
    monkeypatch.delenv(DATABASE_ENV)
    default_database_path().parent.mkdir(parents=True)
    default_database_path().touch()  # a database already in the data folder
    assert not is_first_run(None, settings)


def test_a_start_with_nothing_named_and_an_empty_home_does_not_wait_for_anyone(
    tmp_path: Path,
) -> None:
    """What the packaged app's smoke test and the benchmark do: no --db, empty folders,
    SRO_DESKTOP_QUIT_AFTER_MS set. No welcome may block; the default database is made."""
    environment = {
        **{k: v for k, v in os.environ.items() if k not in (DATABASE_ENV, NO_WELCOME_ENV)},
        "QT_QPA_PLATFORM": "offscreen",
        QUIT_AFTER_ENV: "300",
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "sro_desktop"],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "data" / "SRO Desktop" / "sro-desktop.sqlite3").exists()


def test_a_picture_too_large_is_offered_as_a_smaller_copy(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from sro_desktop.gui.organization_form import SHRUNK_SIDE
    from sro_desktop.services.organization import picture_facts

    photo = _picture(tmp_path / "scan.jpg", "JPEG", size=(4800, 1600))
    dialog = WelcomeDialog(tmp_path / "org.sqlite3")
    qtbot.addWidget(dialog)
    field = dialog.form.logo
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args, **_kw: (str(photo), ""))
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda _parent, _title, text, *_args: asked.append(text) or QMessageBox.StandardButton.Yes,
    )
    field.choose_button.click()
    assert "4800 × 1600 pixels" in asked[0]
    assert "scaled down to 1500 pixels" in asked[0]
    assert field.data is not None
    facts = picture_facts(field.data, "logo")
    assert (facts.format, facts.width, facts.height) == ("JPEG", SHRUNK_SIDE, 500)
    assert photo.stat().st_size > 0  # the user's own file is left as it was
