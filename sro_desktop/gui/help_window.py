"""The user guide: a window of its own (not modal, so the treasurer can read and work at
once) with the topics on the left and the page on the right.

The pages are Markdown files in `resources/help/`, shipped with the app; QTextBrowser
renders them and follows the links between them. Links to the web open in the browser.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStyle,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.paths import resources_dir

# The topics in the order a new treasurer needs them; each is a file in resources/help/.
HELP_TOPICS = (
    "index.md",
    "getting-started.md",
    "importing-the-roster.md",
    "running-a-meeting.md",
    "certificates.md",
    "dues-and-books.md",
    "year-end-report.md",
    "backups.md",
    "handing-over.md",
    "keyboard-shortcuts.md",
)
HOME_TOPIC = HELP_TOPICS[0]


def help_dir() -> Path:
    return resources_dir() / "help"


def topic_title(path: Path) -> str:
    """A page's title: its first Markdown heading (the file name if it has none)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem.replace("-", " ").capitalize()


class HelpWindow(QWidget):
    """The guide's window; `show_topic(name)` shows one page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("SRO Desktop — User guide")
        self.folder = help_dir()

        self.topics = QListWidget()
        self.topics.setAccessibleName("Topics")
        for name in HELP_TOPICS:
            item = QListWidgetItem(topic_title(self.folder / name))
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.topics.addItem(item)
        self.topics.currentItemChanged.connect(self._topic_chosen)

        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Help page")
        self.browser.setOpenLinks(False)  # internal links here, web links in the browser
        self.browser.anchorClicked.connect(self.follow_link)
        self.browser.sourceChanged.connect(self._source_changed)
        self.browser.document().setDocumentMargin(12)

        style = self.style()
        self.back_button = self._tool_button(
            style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack),
            "Back (Alt+Left)",
            self.browser.backward,
        )
        self.back_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Back))
        self.forward_button = self._tool_button(
            style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward),
            "Forward (Alt+Right)",
            self.browser.forward,
        )
        self.forward_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Forward))
        self.home_button = self._tool_button(
            style.standardIcon(QStyle.StandardPixmap.SP_DirHomeIcon),
            "Contents",
            lambda: self.show_topic(HOME_TOPIC),
        )
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.browser.forwardAvailable.connect(self.forward_button.setEnabled)
        self.back_button.setEnabled(False)
        self.forward_button.setEnabled(False)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for button in (self.back_button, self.forward_button, self.home_button):
            bar.addWidget(button)
        bar.addStretch(1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(bar)
        right_layout.addWidget(self.browser, 1)
        splitter = QSplitter()
        splitter.addWidget(self.topics)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 640])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.resize(900, 640)
        self.setTabOrder(self.topics, self.browser)
        # Like any reading window: Ctrl+W (or Esc) closes it; F1 brings it back.
        closing = {QKeySequence("Ctrl+W").toString(), QKeySequence("Esc").toString()}
        closing |= {k.toString() for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Close)}
        for keys in sorted(closing):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.close)
        self.show_topic(HOME_TOPIC)

    def _tool_button(self, icon: object, tip: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setIcon(icon)  # type: ignore[arg-type]
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.setAutoRaise(True)
        assert callable(slot)
        button.clicked.connect(slot)
        return button

    # -- navigation ------------------------------------------------------------------------

    def show_topic(self, name: str) -> None:
        """Show the page `name` (a file in the help folder, with an optional #anchor)."""
        self.browser.setSource(QUrl.fromLocalFile(str(self.folder / name)))

    def current_topic(self) -> str:
        return Path(self.browser.source().toLocalFile()).name

    def follow_link(self, url: QUrl) -> None:
        """A relative link opens another page of the guide; a web link, the browser."""
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        if url.isRelative():
            url = self.browser.source().resolved(url)
        self.browser.setSource(url)

    def _topic_chosen(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        name = item.data(Qt.ItemDataRole.UserRole)
        if name != self.current_topic():
            self.show_topic(name)

    def _source_changed(self, url: QUrl) -> None:
        """Keep the topic list on the page shown (after a link, Back or Forward). The
        signal comes before `source()` changes: the page is the one in `url`."""
        name = Path(url.toLocalFile()).name
        if name not in HELP_TOPICS:
            return
        for row in range(self.topics.count()):
            item = self.topics.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == name:
                self.topics.blockSignals(True)
                self.topics.setCurrentItem(item)
                self.topics.blockSignals(False)
                break
        title = topic_title(self.folder / name)
        guide = "SRO Desktop user guide"
        self.setWindowTitle(guide if title == guide else f"{title} — {guide}")


_windows: dict[int, HelpWindow] = {}


def show_help(parent: QWidget, topic: str | None = None) -> HelpWindow:
    """Open the guide (one window per main window, raised if already open)."""
    window = _windows.get(id(parent))
    if window is None:
        window = HelpWindow(parent)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        key = id(parent)
        window.destroyed.connect(lambda _object=None: _windows.pop(key, None))
        _windows[key] = window
    if topic is not None:
        window.show_topic(topic)
    if window.isVisible():
        window.raise_()  # already open, perhaps behind the main window
        window.activateWindow()
    else:
        window.show()
    return window
