"""Render deepdraft.svg to the 256 px PNG the installers use (run once; both are committed).

    .venv/bin/python resources/icons/make_icon.py
"""
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent

app = QGuiApplication(["make_icon", "-platform", "offscreen"])
image = QImage(256, 256, QImage.Format.Format_ARGB32)
image.fill(Qt.GlobalColor.transparent)
painter = QPainter(image)
QSvgRenderer(str(HERE / "deepdraft.svg")).render(painter)
painter.end()
image.save(str(HERE / "deepdraft.png"))
