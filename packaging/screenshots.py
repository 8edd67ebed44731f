"""Take the README's screenshots from the running app.

Starts the app offscreen on a fresh demo database (`sro-desktop --db X demo`), shows each
main screen the way a treasurer would reach it, grabs it at 1200x760 and saves an
optimized PNG (a 256-colour palette, well under 150 KB) in `resources/screenshots/`.

    python packaging/screenshots.py [--out DIR] [--dark]

`--dark` takes them with a dark palette instead (to check the app is readable in a dark
system theme); those go to DIR with a `-dark` suffix and are not meant for the README.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SIZE = (1200, 760)
MAX_BYTES = 150_000


def make_demo_database(folder: Path) -> Path:
    """A fresh database filled with the demo organization, made by the real command."""
    path = folder / "Tri-State Alliance.sqlite3"
    subprocess.run(
        [sys.executable, "-m", "sro_desktop", "--db", str(path), "demo"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return path


def write_last_years_roster(path: Path, database: Path) -> Path:
    """A roster the way the last treasurer kept it: a title, a note, then the table;
    some people already in the database, some new, one with a mistyped email."""
    import sqlite3

    from openpyxl import Workbook

    with sqlite3.connect(database) as connection:
        known = connection.execute(
            "SELECT first_name, last_name, email FROM members ORDER BY id LIMIT 6"
        ).fetchall()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Members 2025"
    sheet.append(["Tri-State Alliance for CME — membership roster"])
    sheet.append(["Kept by the treasurer; dues in column H"])
    sheet.append([])
    sheet.append(
        ["Name First", "Last", "E-mail Address", "ST", "Degree(s)", "Employer", "Member Since"]
    )
    for first, last, email in known:
        sheet.append([first, last, email, "PA", "MD", "", "2019-03-01"])
    sheet.append(["Grace", "Okafor", "grace.okafor@example.org", "NJ", "RN, BSN", "", "2025-01-15"])
    sheet.append(["Tomás", "Reyes", "t.reyes@example.org", "Delaware", "PharmD", "", "2024-09-01"])
    sheet.append(["Mei", "Lin", "mei.lin@example", "PA", "MPH", "", "2025-02-10"])
    book.save(path)
    return path


def save_png(widget: object, path: Path) -> int:
    """Grab a widget and save it as a palette PNG; returns the file's size in bytes."""
    from PIL import Image
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtWidgets import QWidget

    assert isinstance(widget, QWidget)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    widget.grab().save(buffer, "PNG")
    image = Image.open(io.BytesIO(bytes(buffer.data().data()))).convert("RGB")
    # 256 colours keep text crisp (screens are flat colours) at a third of the size.
    small = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)
    return path.stat().st_size


def settle(app: object, milliseconds: int = 300) -> None:
    """Let queued events, timers and background tasks finish before a grab."""
    from PySide6.QtWidgets import QApplication

    assert isinstance(app, QApplication)
    end = time.monotonic() + milliseconds / 1000
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def dark_palette() -> object:
    from PySide6.QtGui import QColor, QPalette

    # From a button and a window colour Qt derives the rest (light, dark, shadow…).
    palette = QPalette(QColor("#353535"), QColor("#2b2b2b"))
    roles = QPalette.ColorRole
    for role, color in (
        (roles.Window, "#2b2b2b"),
        (roles.WindowText, "#e6e6e6"),
        (roles.Base, "#1e1e1e"),
        (roles.AlternateBase, "#2a2a2a"),
        (roles.ToolTipBase, "#3a3a3a"),
        (roles.ToolTipText, "#e6e6e6"),
        (roles.Text, "#e6e6e6"),
        (roles.Button, "#353535"),
        (roles.ButtonText, "#e6e6e6"),
        (roles.BrightText, "#ff6b6b"),
        (roles.Link, "#6ea8fe"),
        (roles.Highlight, "#2f65ca"),
        (roles.HighlightedText, "#ffffff"),
        (roles.PlaceholderText, "#8a8a8a"),
        (roles.Mid, "#5a5a5a"),
    ):
        palette.setColor(role, QColor(color))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.Text, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.ButtonText, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.WindowText, QColor("#7a7a7a"))
    return palette


def take_screenshots(out: Path, *, dark: bool = False) -> list[tuple[Path, int]]:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from sro_desktop.gui.application import configure_application_identity
    from sro_desktop.gui.import_wizard import ImportWizard
    from sro_desktop.gui.main_window import MainWindow
    from sro_desktop.gui.member_record_dialog import open_member_record

    configure_application_identity()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setStyle("Fusion")
    if dark:
        palette = dark_palette()
        assert isinstance(palette, QPalette)
        app.setPalette(palette)
    suffix = "-dark" if dark else ""
    out.mkdir(parents=True, exist_ok=True)
    saved: list[tuple[Path, int]] = []

    with tempfile.TemporaryDirectory(prefix="sro-screenshots-") as temporary:
        folder = Path(temporary)
        database = make_demo_database(folder)
        roster = write_last_years_roster(folder / "Roster 2025.xlsx", database)
        settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings)
        window.resize(*SIZE)
        window.show()
        assert window.open_database_file(database)
        settle(app)

        def shot(name: str, widget: object, prepare: Callable[[], object] | None = None) -> None:
            if prepare is not None:
                prepare()
            settle(app)
            window.statusBar().clearMessage()  # "Opened /tmp/…" says nothing to a reader
            path = out / f"{name}{suffix}.png"
            saved.append((path, save_png(widget, path)))

        # Members: the list, then one person's page.
        window.show_page("Members")
        shot("members", window)
        page = window.members_page
        page.table.selectRow(3)
        record = open_member_record(
            page.member_actions,  # type: ignore[arg-type]
            page.model.row_at(3).id,
            window,
        )
        record.resize(900, 680)
        shot("member-record", record)
        record.close()

        # Meetings: the conference with its registrations; the check-in screen of the next.
        window.show_page("Meetings")
        meetings = window.meetings_page
        upcoming = meetings.meeting_id
        conference = max(
            meetings.model.rows(), key=lambda row: ("Conference" in row.title, row.checked_in)
        )
        meetings.refresh(select=conference.id)
        shot("meetings", window)
        meetings.refresh(select=upcoming)
        checkin = meetings.open_checkin()
        assert checkin is not None
        checkin.resize(1000, 640)
        checkin.search_edit.setText("an")
        shot("check-in", checkin)
        checkin.close()

        # Certificates for the last meeting that has ended; the finances dashboard.
        window.show_page("Certificates")
        shot("certificates", window)
        window.show_page("Finances")
        settle(app, 1500)  # the dashboard is worked out in the background
        window.tasks.wait_until_idle()
        shot("finances", window)

        # The import wizard's review of last year's roster.
        window.show_page("Members")
        from sro_desktop.gui.file_transfer import open_import_wizard

        wizard = open_import_wizard(window, roster)
        assert wizard is not None
        wizard.resize(900, 560)
        _wait(app, wizard.source_page.isComplete)
        wizard.next()
        _wait(app, lambda: wizard.currentId() == ImportWizard.MAPPING)
        wizard.next()
        _wait(app, lambda: wizard.state.review is not None)
        shot("import-review", wizard)
        wizard.reject()

        window.tasks.wait_until_idle()
        window.close()
        settle(app)
    return saved


def _wait(app: object, condition: Callable[[], bool], seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the app did not reach the screen to photograph in time")
        settle(app, 50)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "screenshots")
    parser.add_argument("--dark", action="store_true", help="use a dark palette")
    args = parser.parse_args(argv)
    too_big = False
    for path, size in take_screenshots(args.out, dark=args.dark):
        note = "" if size <= MAX_BYTES else "  (over the size budget)"
        too_big = too_big or size > MAX_BYTES
        print(f"{path}  {size / 1000:.0f} KB{note}")
    return 1 if too_big else 0


if __name__ == "__main__":
    sys.exit(main())
