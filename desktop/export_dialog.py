"""The export dialog: where to save the Word document (starting in the last export
folder or Documents, desktop.export_folder) and whether to add the claim check's flags as
Word comments, which a reviewer then sees in Word's margin."""
from __future__ import annotations

from pathlib import Path

from desktop.qt import QCheckBox, QDialog, QFileDialog


class ExportDialog(QFileDialog):
    def __init__(self, parent, suggested: Path, comments: bool) -> None:
        super().__init__(parent, "Export Word document", str(suggested.parent),
                         "Word documents (*.docx)")
        # Qt's own dialog: a platform dialog has no room for the checkbox.
        self.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        self.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        self.setDefaultSuffix("docx")
        self.selectFile(suggested.name)
        self.comments = QCheckBox("Add the claim check's flags as Word comments")
        self.comments.setChecked(comments)
        grid = self.layout()
        grid.addWidget(self.comments, grid.rowCount(), 0, 1, grid.columnCount())

    @classmethod
    def ask(cls, parent, suggested: Path, comments: bool) -> tuple[str, bool]:
        """(the chosen path or "", whether to add comments)."""
        dialog = cls(parent, suggested, comments)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return "", comments
        return dialog.selectedFiles()[0], dialog.comments.isChecked()
