"""The one place the desktop imports PySide6. Everything else imports from here."""
from PySide6.QtCore import (QEvent, QObject, QSize, Qt, QThread, QTimer,  # noqa: F401
                            Signal, Slot)
from PySide6.QtGui import (QAction, QCloseEvent, QColor, QFont, QIcon,  # noqa: F401
                           QKeySequence, QTextCursor)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox,  # noqa: F401
                               QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QFrame, QGroupBox, QHBoxLayout, QHeaderView, QInputDialog,
                               QLabel, QLineEdit, QListWidget, QListWidgetItem, QMainWindow,
                               QMenu, QMessageBox, QPlainTextEdit, QProgressBar, QPushButton,
                               QSizePolicy, QSpinBox, QSplitter, QStatusBar, QTableWidget,
                               QTableWidgetItem, QTabWidget, QTextBrowser, QTextEdit, QToolBar,
                               QToolButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)
# Rendered views, the evidence pane, undo (issue 10).
from PySide6.QtCore import QPoint, QPointF, QRectF, QUrl  # noqa: F401,E402
from PySide6.QtGui import (QBrush, QCursor, QDesktopServices, QImage, QPainter,  # noqa: F401,E402
                           QMouseEvent, QPen, QPixmap, QUndoCommand, QUndoStack)
from PySide6.QtWidgets import QScrollArea, QStackedWidget, QToolTip  # noqa: F401,E402
