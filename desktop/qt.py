"""The one place the desktop imports PySide6. Everything else imports from here."""
from PySide6.QtCore import (QObject, QRunnable, QSize, Qt, QThread, QThreadPool, QTimer,  # noqa: F401
                            Signal, Slot)
from PySide6.QtGui import QAction, QFont, QIcon, QKeySequence, QTextCursor  # noqa: F401
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QFileDialog,  # noqa: F401
                               QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QMainWindow, QMessageBox, QPlainTextEdit,
                               QProgressBar, QPushButton, QSplitter, QStatusBar, QTabWidget,
                               QTextBrowser, QTextEdit, QToolBar, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)
