"""The outline tree: position, title and status of every node, and the actions that
turn the user's intent into engine edits (emitted, never applied here)."""
from __future__ import annotations

from desktop.qt import (QAbstractItemView, QAction, QHeaderView, QInputDialog, QMenu,
                        QMessageBox, Qt, QTreeWidget, QTreeWidgetItem, Signal)
from desktop.report.render import word_count
from engine.warp.edits import (AddNode, DeleteNode, Deepen, EditNode, LockNode, MoveNode,
                               Rewrite)

NODE_ID = Qt.ItemDataRole.UserRole
PENDING = "edit pending"


def node_status(node: dict) -> str:
    """What the tree shows in its status column, e.g. '[OK] · user · locked'."""
    parts = ["[OK]" if node.get("content") is not None else "[PLAN]"]
    if node.get("author") == "user":
        parts.append("user")
    if node.get("locked"):
        parts.append("locked")
    return " · ".join(parts)


def _show_status(item: QTreeWidgetItem, text: str, pending: bool) -> None:
    item.setText(2, text)
    font = item.font(2)
    font.setItalic(pending)
    item.setFont(2, font)
    item.setToolTip(2, "applied when the agent finishes its current step" if pending else "")


def _shape(nodes: list[dict]) -> tuple:
    return tuple((n["node_id"], _shape(n.get("subsections", []))) for n in nodes)


class OutlineTree(QTreeWidget):
    """Signals fire on the GUI thread: `edit_requested(edit)` with an engine edit;
    `node_selected(object)` with the selected node's dict (or None) and its position."""

    edit_requested = Signal(object)
    node_selected = Signal(object, str)
    node_activated = Signal(str)      # double-click: open the section for editing

    def __init__(self) -> None:
        super().__init__()
        self.setColumnCount(4)
        self.setHeaderLabels(["#", "Section", "Status", "Words"])
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.header().setStretchLastSection(False)
        for column in (0, 2, 3):      # header-wide while empty: no horizontal scroll bar
            self.resizeColumnToContents(column)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)
        self.itemSelectionChanged.connect(self._emit_selection)
        self.itemDoubleClicked.connect(
            lambda item, _: self.node_activated.emit(item.data(0, NODE_ID)))
        self.outline: dict = {"title": "", "sections": []}   # as last shown
        self._nodes: dict[str, tuple[dict, str]] = {}
        self._shape: tuple = ()          # node ids, nested as shown
        self._emitted: tuple[dict | None, str] = (None, "")   # last node_selected
        self.cursor: str | None = None
        self.actions_by_name = self._make_actions()

    # --- showing ------------------------------------------------------------------------
    def show_outline(self, outline: dict, cursor: str | None) -> None:
        """Show Outline.to_dict(), keeping the selection and collapsed nodes. A run's
        update that keeps the outline's shape (most of them: a section written) changes
        only the rows' texts; the selection's views hear of it only when the selected
        node itself changed (each re-show costs the draft views a re-render)."""
        self.outline = outline
        sections = outline.get("sections", [])
        widths = self._column_texts()
        self._nodes, self.cursor = {}, cursor
        shape = _shape(sections)
        if shape == self._shape:
            self._fill_nodes(self.invisibleRootItem(), sections, [])
        else:
            self._rebuild(sections)
            self._shape = shape
        if self._column_texts() != widths:
            for column in (0, 2, 3):
                self.resizeColumnToContents(column)
        if self._selection() != self._emitted:
            self._emit_selection()
        else:
            self._update_actions(self._emitted[0])

    def _rebuild(self, sections: list[dict]) -> None:
        selected = self.selected_id()
        collapsed = {i.data(0, NODE_ID) for i in self._items() if not i.isExpanded()}
        self.blockSignals(True)
        self.clear()
        self._fill_nodes(self.invisibleRootItem(), sections, [])
        for item in self._items():
            item.setExpanded(item.data(0, NODE_ID) not in collapsed)
            if item.data(0, NODE_ID) == selected:
                item.setSelected(True)
                self.setCurrentItem(item)
        self.blockSignals(False)

    def _fill_nodes(self, parent: QTreeWidgetItem, nodes: list[dict], prefix: list[int]):
        """Rows for `nodes` under `parent`: the existing children where the shape is
        unchanged (a text set to what it was costs Qt nothing), else new ones."""
        for index, node in enumerate(nodes, start=1):
            path = prefix + [index]
            position = "section-" + ".".join(map(str, path))
            if index <= parent.childCount():
                item = parent.child(index - 1)
            else:
                item = QTreeWidgetItem(parent)
                item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight)
                item.setData(0, NODE_ID, node["node_id"])
            words = word_count(node["content"]) if node.get("content") is not None else ""
            for column, text in enumerate((".".join(map(str, path)), node.get("title", ""),
                                           node_status(node), str(words))):
                item.setText(column, text)
            item.setToolTip(1, node.get("plan", ""))
            next_here = position == self.cursor
            if item.font(1).bold() != next_here:
                font = item.font(1)
                font.setBold(next_here)
                item.setFont(1, font)
            if item.font(2).italic():               # a pending mark: the update clears it
                _show_status(item, node_status(node), pending=False)
            item.setToolTip(2, "the agent works on this section next" if next_here else "")
            self._nodes[node["node_id"]] = (node, position)
            self._fill_nodes(item, node.get("subsections", []), path)

    def _column_texts(self) -> list[tuple[str, str, str]]:
        return [(i.text(0), i.text(2), i.text(3)) for i in self._items()]

    def _items(self) -> list[QTreeWidgetItem]:
        found, stack = [], [self.invisibleRootItem()]
        while stack:
            item = stack.pop()
            for i in range(item.childCount()):
                found.append(item.child(i))
                stack.append(item.child(i))
        return found

    def item_for(self, node_id: str) -> QTreeWidgetItem | None:
        return next((i for i in self._items() if i.data(0, NODE_ID) == node_id), None)

    def mark_pending(self, node_id: str) -> None:
        """Show that an edit to this node waits for the agent's current step to end (a
        step of a large model can take minutes); the next rebuild clears the mark."""
        item = self.item_for(node_id)
        if item is not None and PENDING not in item.text(2):
            _show_status(item, f"{item.text(2)} · {PENDING}", pending=True)

    def clear_pending(self) -> None:
        """Drop the pending marks (an edit the run refused never rebuilds the tree)."""
        for item in self._items():
            node = self.node(item.data(0, NODE_ID))
            if node is not None and PENDING in item.text(2):
                _show_status(item, node_status(node), pending=False)

    def select(self, node_id: str) -> None:
        item = self.item_for(node_id)
        if item is not None:
            self.setCurrentItem(item)

    def select_node(self, node_id: str) -> bool:
        """Select a node by id (the views follow, as after a click)."""
        item = next((i for i in self._items() if i.data(0, NODE_ID) == node_id), None)
        if item is not None:
            self.setCurrentItem(item)
        return item is not None

    def selected_id(self) -> str | None:
        items = self.selectedItems()
        return items[0].data(0, NODE_ID) if items else None

    def node(self, node_id: str) -> dict | None:
        return self._nodes.get(node_id, (None, ""))[0]

    def _selection(self) -> tuple[dict | None, str]:
        node_id = self.selected_id()
        return self._nodes.get(node_id, (None, "")) if node_id else (None, "")

    def _emit_selection(self) -> None:
        node, position = self._emitted = self._selection()
        self._update_actions(node)
        self.node_selected.emit(node, position)

    # --- actions ------------------------------------------------------------------------
    def _make_actions(self) -> dict[str, QAction]:
        # (name, menu text, short toolbar text, handler)
        specs = [("rename", "Rename…", "Rename", self.rename),
                 ("plan", "Edit plan…", "Plan", self.edit_plan),
                 ("add", "Add section…", "+ Section", self.add_section),
                 ("add_sub", "Add subsection…", "+ Sub", self.add_subsection),
                 ("delete", "Delete", "Delete", self.delete),
                 ("up", "Move up", "↑", lambda: self.move(-1)),
                 ("down", "Move down", "↓", lambda: self.move(1)),
                 ("lock", "Lock", "Lock", self.toggle_lock),
                 ("deepen", "Deepen with agent", "Deepen", self.deepen),
                 ("rewrite", "Rewrite with fresh evidence", "Rewrite", self.rewrite)]
        actions = {}
        for name, text, short, handler in specs:
            action = QAction(text, self)
            action.setIconText(short)
            action.setToolTip(text.rstrip("…"))
            action.triggered.connect(handler)
            actions[name] = action
        return actions

    def _update_actions(self, node: dict | None) -> None:
        for name, action in self.actions_by_name.items():
            action.setEnabled(node is not None or name == "add")
        locked = bool(node and node.get("locked"))
        self.actions_by_name["lock"].setText("Unlock" if locked else "Lock")
        self.actions_by_name["lock"].setIconText("Unlock" if locked else "Lock")

    def _show_menu(self, point) -> None:
        menu = QMenu(self)
        for name, action in self.actions_by_name.items():
            if name in ("delete", "lock", "deepen"):
                menu.addSeparator()
            menu.addAction(action)
        menu.exec(self.viewport().mapToGlobal(point))

    def _selected(self) -> tuple[str, dict] | None:
        node_id = self.selected_id()
        return (node_id, self._nodes[node_id][0]) if node_id in self._nodes else None

    def rename(self) -> None:
        if (sel := self._selected()) is None:
            return
        title, ok = QInputDialog.getText(self, "Rename section", "Title:",
                                         text=sel[1].get("title", ""))
        if ok and title.strip():
            self.edit_requested.emit(EditNode(sel[0], title=title.strip()))

    def edit_plan(self) -> None:
        if (sel := self._selected()) is None:
            return
        plan, ok = QInputDialog.getMultiLineText(self, "Edit plan", "What this section covers:",
                                                 sel[1].get("plan", ""))
        if ok:
            self.edit_requested.emit(EditNode(sel[0], plan=plan.strip()))

    def _ask_new(self, what: str) -> tuple[str, str] | None:
        title, ok = QInputDialog.getText(self, f"Add {what}", "Title:")
        if not ok or not title.strip():
            return None
        plan, ok = QInputDialog.getMultiLineText(self, f"Add {what}",
                                                 "Plan (what it should cover):", "")
        return (title.strip(), plan.strip()) if ok else None

    def add_section(self) -> None:
        """A new level-1 section after the selected one's level-1 ancestor (or at the end)."""
        answer = self._ask_new("section")
        if answer is None:
            return
        item, index = self.currentItem(), None
        while item is not None and item.parent() is not None:
            item = item.parent()
        if item is not None:
            index = self.indexOfTopLevelItem(item) + 1
        self.edit_requested.emit(AddNode(answer[0], answer[1], parent_id=None, index=index))

    def add_subsection(self) -> None:
        if (sel := self._selected()) is None or (answer := self._ask_new("subsection")) is None:
            return
        self.edit_requested.emit(AddNode(answer[0], answer[1], parent_id=sel[0]))

    def delete(self) -> None:
        if (sel := self._selected()) is None:
            return
        reply = QMessageBox.question(self, "Delete section",
                                     f"Delete “{sel[1].get('title', '')}” and its subsections?")
        if reply == QMessageBox.StandardButton.Yes:
            self.edit_requested.emit(DeleteNode(sel[0]))

    def move(self, step: int) -> None:
        item = self.currentItem()
        if item is None:
            return
        parent = item.parent()
        siblings = parent.childCount() if parent else self.topLevelItemCount()
        index = (parent.indexOfChild(item) if parent else self.indexOfTopLevelItem(item)) + step
        if 0 <= index < siblings:
            parent_id = parent.data(0, NODE_ID) if parent else None
            self.edit_requested.emit(MoveNode(item.data(0, NODE_ID), parent_id, index))

    def toggle_lock(self) -> None:
        if (sel := self._selected()) is not None:
            self.edit_requested.emit(LockNode(sel[0], locked=not sel[1].get("locked")))

    def deepen(self) -> None:
        if (sel := self._selected()) is not None:
            self.edit_requested.emit(Deepen(sel[0]))

    def rewrite(self) -> None:
        if (sel := self._selected()) is not None:
            self.edit_requested.emit(Rewrite(sel[0]))
