"""Looking at a PDF inside the app before it goes anywhere: page through, zoom, print with
the system print dialog, open it in the system's PDF viewer, or save a copy.

`show_pdf(parent, path_or_bytes, title)` opens a preview window for any document the app
makes (certificates, sign-in sheets, badges, transcripts, receipts). Printing draws each
page of the PDF onto the printer at up to 300 dpi in a background task with progress and
cancel, since a 300-page batch takes a while.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QPointF, QRect, QSettings, QSize, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QImage, QKeySequence, QPageLayout, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.errors import UnusableInput, UserError
from sro_desktop.gui.errors import show_error
from sro_desktop.gui.task_runner import Cancelled, Progress, TaskRunner

__all__ = ["PdfPreview", "PreviewDialog", "print_pdf", "private_folder", "show_pdf"]

PRINT_DPI = 300  # enough for text and seals; 600 dpi would need 130 MB per landscape page
_ZOOM_STEP = 1.25
# Remembered between previews and sessions: the folder of the last "Save a copy…" and the
# preview window's size and place.
COPY_FOLDER_KEY = "folders/pdf-copies"
GEOMETRY_KEY = "geometry/pdf-preview"

_temporary_folder: Path | None = None


def private_folder() -> Path:
    """A folder readable by the user alone for PDFs made in memory; removed on exit."""
    global _temporary_folder
    if _temporary_folder is None or not _temporary_folder.is_dir():
        _temporary_folder = Path(tempfile.mkdtemp(prefix="sro-desktop-preview-"))
        atexit.register(shutil.rmtree, _temporary_folder, True)
    return _temporary_folder


def _safe_name(title: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in " -_." else "_" for ch in title).strip()
    return (cleaned or "document")[:80]


def print_pdf(
    path: Path,
    printer: QPrinter,
    *,
    first: int = 1,
    last: int = 0,
    progress: Progress | None = None,
) -> int:
    """Draw pages `first`..`last` (1-based; 0 = to the end) of the PDF at `path` onto
    `printer`; returns the number of pages printed. Safe off the GUI thread."""
    document = QPdfDocument()
    document.load(str(path))
    if document.status() != QPdfDocument.Status.Ready:
        raise UnusableInput(f"{path.name} could not be read as a PDF, so it was not printed.")
    count = document.pageCount()
    last = count if last <= 0 else min(last, count)
    first = max(first, 1)
    pages = list(range(first - 1, last))
    if not pages:
        return 0
    portrait = document.pagePointSize(pages[0])
    printer.setPageOrientation(
        QPageLayout.Orientation.Landscape
        if portrait.width() > portrait.height()
        else QPageLayout.Orientation.Portrait
    )
    painter = QPainter()
    if not painter.begin(printer):
        raise UnusableInput("The printer could not be started; check it is on and try again.")
    try:
        for done, index in enumerate(pages):
            if progress is not None:
                progress.check()
                progress.report(done, len(pages), f"Printing page {done + 1} of {len(pages)}…")
            if done:
                printer.newPage()
            target = painter.viewport()
            size = document.pagePointSize(index)
            scale = min(target.width() / size.width(), target.height() / size.height())
            width, height = int(size.width() * scale), int(size.height() * scale)
            dpi_scale = min(1.0, PRINT_DPI / max(printer.resolution(), 1))
            image: QImage = document.render(
                index, QSize(max(1, int(width * dpi_scale)), max(1, int(height * dpi_scale)))
            )
            x = target.x() + (target.width() - width) // 2
            y = target.y() + (target.height() - height) // 2
            painter.drawImage(QRect(x, y, width, height), image)
    finally:
        painter.end()
        document.close()
    return len(pages)


class PdfPreview(QWidget):
    """A PDF on screen with a toolbar: pages, zoom, Print…, Open in PDF viewer, Save a copy."""

    def __init__(self, parent: QWidget | None = None, tasks: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks or TaskRunner(self)
        self.path: Path | None = None
        self.title = ""
        self.suggested_name = "document.pdf"
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setAccessibleName("Document preview")

        self.toolbar = QToolBar()
        self.previous_action = self._action("◀ Previous", self.previous_page, "PgUp")
        self.page_box = QSpinBox()
        self.page_box.setAccessibleName("Page number")
        self.page_box.setMinimum(1)
        self.page_box.setKeyboardTracking(False)
        self.page_box.valueChanged.connect(lambda value: self.go_to(value - 1))
        self.toolbar.addWidget(self.page_box)
        self.page_count_label = QLabel(" of 0 ")
        self.toolbar.addWidget(self.page_count_label)
        self.next_action = self._action("Next ▶", self.next_page, "PgDown")
        self.toolbar.addSeparator()
        self.zoom_out_action = self._action("−", self.zoom_out, QKeySequence.StandardKey.ZoomOut)
        self.zoom_out_action.setToolTip("Zoom out")
        self.zoom_in_action = self._action("+", self.zoom_in, QKeySequence.StandardKey.ZoomIn)
        self.zoom_in_action.setToolTip("Zoom in")
        self.fit_width_action = self._action("Fit width", self.fit_width)
        self.whole_page_action = self._action("Whole page", self.whole_page)
        self.toolbar.addSeparator()
        self.print_action = self._action(
            "Print…", self.print_dialog, QKeySequence.StandardKey.Print
        )
        self.open_action = self._action("Open in PDF viewer", self.open_externally)
        self.save_action = self._action("Save a copy…", self.save_copy_dialog)

        self.status_label = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        layout.addLayout(bottom)

        self.view.pageNavigator().currentPageChanged.connect(self._page_changed)
        self._update_controls()

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        self.addAction(action)
        return action

    # -- loading -------------------------------------------------------------------------

    def load(self, source: Path | bytes, title: str, suggested_name: str = "") -> None:
        """Show a PDF file, or PDF bytes (kept in a private temporary file so it can be
        opened in another program)."""
        if isinstance(source, bytes):
            path = private_folder() / f"{_safe_name(title)}.pdf"
            counter = 2
            while path.exists():
                path = path.with_name(f"{_safe_name(title)} ({counter}).pdf")
                counter += 1
            path.write_bytes(source)
            path.chmod(0o600)
        else:
            path = source
        self.document.close()
        error = self.document.load(str(path))
        if error != QPdfDocument.Error.None_:
            self.path = None
            self._update_controls()
            raise UnusableInput(f"{path.name} could not be shown: it is not a readable PDF.")
        self.path = path
        self.title = title
        self.suggested_name = suggested_name or (
            path.name if not isinstance(source, bytes) else f"{_safe_name(title)}.pdf"
        )
        first = self.document.pagePointSize(0)
        landscape = first.width() > first.height()
        # A landscape page (a certificate) is seen whole; a portrait list reads by width.
        self.view.setZoomMode(
            QPdfView.ZoomMode.FitInView if landscape else QPdfView.ZoomMode.FitToWidth
        )
        self.go_to(0)
        self._update_controls()

    @property
    def page_count(self) -> int:
        return self.document.pageCount() if self.path is not None else 0

    @property
    def current_page(self) -> int:
        """0-based."""
        return self.view.pageNavigator().currentPage()

    def _update_controls(self) -> None:
        count = self.page_count
        loaded = count > 0
        self.page_box.blockSignals(True)
        self.page_box.setMaximum(max(count, 1))
        self.page_box.setValue(self.current_page + 1 if loaded else 1)
        self.page_box.blockSignals(False)
        self.page_count_label.setText(f" of {count} ")
        for action in (
            self.zoom_in_action,
            self.zoom_out_action,
            self.fit_width_action,
            self.whole_page_action,
            self.print_action,
            self.open_action,
            self.save_action,
        ):
            action.setEnabled(loaded)
        self.page_box.setEnabled(loaded)
        self.previous_action.setEnabled(loaded and self.current_page > 0)
        self.next_action.setEnabled(loaded and self.current_page < count - 1)

    def _page_changed(self, _page: int) -> None:
        self._update_controls()

    # -- paging and zoom -----------------------------------------------------------------

    def go_to(self, page: int) -> None:
        if self.page_count == 0:
            return
        page = max(0, min(page, self.page_count - 1))
        self.view.pageNavigator().jump(page, QPointF(), self.view.zoomFactor())
        self._update_controls()

    def next_page(self) -> None:
        self.go_to(self.current_page + 1)

    def previous_page(self) -> None:
        self.go_to(self.current_page - 1)

    def zoom_in(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(self.view.zoomFactor() * _ZOOM_STEP, 8.0))

    def zoom_out(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(self.view.zoomFactor() / _ZOOM_STEP, 0.1))

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def whole_page(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)

    # -- print, open, save ---------------------------------------------------------------

    def print_to(self, printer: QPrinter, on_done: Callable[[int], None] | None = None) -> None:
        """Print on `printer` (already set up) in the background, with progress and cancel."""
        path = self.path
        if path is None:
            return
        first, last = printer.fromPage(), printer.toPage()

        def work(progress: Progress) -> int:
            return print_pdf(path, printer, first=first or 1, last=last, progress=progress)

        def done(pages: int) -> None:
            self.status_label.setText(f"Sent {pages} page{'s' if pages != 1 else ''} to print.")
            if on_done is not None:
                on_done(pages)

        def failed(error: BaseException) -> None:
            if isinstance(error, Cancelled):
                self.status_label.setText("Printing cancelled.")
                return
            show_error(self, "Print", error)

        self.tasks.run(f"Printing {self.title}", work, done, failed)

    def print_dialog(self) -> None:
        if self.path is None or self.tasks.busy:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title)
        printer.setFromTo(0, 0)
        size = self.document.pagePointSize(0)
        if size.width() > size.height():
            printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"Print {self.title}")
        dialog.setMinMax(1, self.page_count)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._printer = printer  # kept alive until the background task ends
            self.print_to(printer)

    def external_url(self) -> QUrl:
        return QUrl.fromLocalFile(str(self.path)) if self.path else QUrl()

    def open_externally(self) -> bool:
        """Open the PDF in the system's PDF viewer (to print from there, or to email it)."""
        if self.path is None:
            return False
        if not QDesktopServices.openUrl(self.external_url()):
            show_error(
                self,
                "Open in PDF viewer",
                UserError(
                    f"No program to open PDF files was found. The file is {self.path}; open "
                    "it from there, or use Save a copy."
                ),
            )
            return False
        return True

    def save_copy(self, destination: Path) -> Path:
        if self.path is None:
            raise UnusableInput("There is no document to save.")
        if destination.suffix.lower() != ".pdf":
            destination = destination.with_name(destination.name + ".pdf")
        try:
            shutil.copyfile(self.path, destination)
        except OSError as error:
            raise UnusableInput(
                f"The copy could not be saved as {destination}: {error.strerror or error}; "
                "choose another folder."
            ) from error
        self.status_label.setText(f"Saved a copy as {destination}")
        QSettings().setValue(COPY_FOLDER_KEY, str(destination.parent))
        return destination

    def copy_folder(self) -> Path:
        """Where "Save a copy…" starts: the folder of the last copy saved, else home."""
        return Path(str(QSettings().value(COPY_FOLDER_KEY, str(Path.home()))))

    def save_copy_dialog(self) -> None:
        if self.path is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Save a copy",
            str(self.copy_folder() / self.suggested_name),
            "PDF documents (*.pdf)",
        )
        if name:
            try:
                self.save_copy(Path(name))
            except UserError as error:
                show_error(self, "Save a copy", error)


class PreviewDialog(QDialog):
    """A window holding one preview; closing it frees the document."""

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview = PdfPreview(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.preview)
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(1000, int(screen.width() * 0.9)), min(780, int(screen.height() * 0.9)))
        saved = QSettings().value(GEOMETRY_KEY)
        if isinstance(saved, QByteArray) and not saved.isEmpty():
            self.restoreGeometry(saved)  # the size the user last gave a preview

    def done(self, result: int) -> None:
        self.preview.tasks.wait_until_idle()
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())
        super().done(result)


def show_pdf(
    parent: QWidget | None, path_or_bytes: Path | bytes, title: str, suggested_name: str = ""
) -> PreviewDialog:
    """Open a preview window for a PDF file or PDF bytes; returns it (already shown)."""
    dialog = PreviewDialog(parent, title)
    dialog.preview.load(path_or_bytes, title, suggested_name)
    dialog.show()
    dialog.activateWindow()
    return dialog
