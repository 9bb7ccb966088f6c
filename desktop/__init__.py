"""The PySide6 desktop app. PySide6 is imported in one place: desktop/qt.py."""
