"""The face: PySide6 widgets, table models and dialogs. The only package that imports Qt."""

from sro_desktop.gui.refcount_guard import pin_singletons

pin_singletons()  # before any Qt call: see refcount_guard for the PySide6 6.12 bug
