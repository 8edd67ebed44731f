"""The face: PySide6 widgets, table models and dialogs. The only package that imports Qt."""
