"""The one place the desktop imports PySide6. Everything else imports from here."""
from PySide6.QtCore import (QByteArray, QEvent, QMimeData, QObject, QPoint, QPointF,  # noqa: F401
                            QSettings, QSize, Qt, QThread, QTimer, QUrl, Signal, Slot)
from PySide6.QtGui import (QAction, QCloseEvent, QColor, QDesktopServices,  # noqa: F401
                           QDragEnterEvent, QDropEvent, QFont, QIcon, QKeySequence,
                           QTextCursor, QTextDocument)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox,  # noqa: F401
                               QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QFrame, QGroupBox, QHBoxLayout, QHeaderView, QInputDialog,
                               QLabel, QLineEdit, QListWidget, QListWidgetItem, QMainWindow,
                               QMenu, QMessageBox, QPlainTextEdit, QProgressBar, QPushButton,
                               QSizePolicy, QSpinBox, QSplitter, QStackedWidget, QStatusBar,
                               QTableWidget, QTableWidgetItem, QTabWidget, QTextBrowser,
                               QTextEdit, QToolBar, QToolButton, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)
# Model/view lists that stay fast at thousands of rows (the library panel, issue 24).
from PySide6.QtCore import (QAbstractTableModel, QItemSelectionModel,  # noqa: F401,E402
                            QModelIndex, QSortFilterProxyModel)
from PySide6.QtWidgets import QTableView  # noqa: F401,E402
# Rendered views, the evidence pane, undo (issue 10).
from PySide6.QtCore import QRectF  # noqa: F401,E402
from PySide6.QtGui import (QBrush, QCursor, QImage, QPainter,  # noqa: F401,E402
                           QMouseEvent, QPen, QPixmap, QUndoCommand, QUndoStack)
from PySide6.QtWidgets import QScrollArea, QToolTip  # noqa: F401,E402
# Event-driven waits outside a test (the screenshot tour).
from PySide6.QtCore import QEventLoop  # noqa: F401,E402
# The export dialog's starting folder.
from PySide6.QtCore import QStandardPaths  # noqa: F401,E402
# Fit checks on a real screen (desktop.tour.screen_fit) and key presses a user would make.
from PySide6.QtWidgets import QAbstractButton  # noqa: F401,E402
from PySide6.QtTest import QTest  # noqa: F401,E402
# Editing a section in place, citations as atomic chips (desktop.report.rich_section).
from PySide6.QtCore import QRegularExpression, QSizeF  # noqa: F401,E402
from PySide6.QtGui import (QFontMetricsF, QKeyEvent, QPyTextObject, QTextCharFormat,  # noqa: F401,E402
                           QTextDocumentFragment,
                           QTextFormat)
