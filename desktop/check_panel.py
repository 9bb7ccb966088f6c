"""The Check tab: every sentence the claim check flagged (engine.check), by section, with
why; Go to opens the section at the sentence, Dismiss records the user's decision (kept
across reloads), Check again runs the check in the engine process on its own lane. The
window, the project's writer, records what the engine found."""
from __future__ import annotations

from desktop.check_jobs import SectionsChecked, check_sections_job
from desktop.qt import (QHBoxLayout, QLabel, QPushButton, Qt, QTreeWidget, QTreeWidgetItem,
                        QVBoxLayout, QWidget, Signal)
from desktop.words import plural
from desktop.worker import Worker

FLAG = Qt.ItemDataRole.UserRole
KIND_WORDS = {"figure": "Figure", "name": "Name", "relevance": "Off topic",
              "model": "Model says", "source": "Source gone"}


def to_check_text(count: int) -> str:
    return f"{plural(count, 'sentence')} to check" if count else ""


class CheckPanel(QWidget):
    """Signals (GUI thread): `go_to(node_id, flag)`; `count_changed(int)` with the
    number of undismissed flags."""

    go_to = Signal(str, object)
    count_changed = Signal(int)

    def __init__(self, engine, parent=None) -> None:
        super().__init__(parent)
        self.store = None
        self.library = "default"
        self.flags: dict[str, list] = {}        # node_id -> [engine.check.types.Flag]
        self.lane = Worker(engine, self)
        self.lane.event.connect(self._on_event)
        self.lane.finished.connect(self._after_check)
        self._waiting: list[str] | None = None   # sections to check once the lane is free
        self._waiting_all = False
        self.heading = QLabel("No report open.")
        self.heading.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.itemSelectionChanged.connect(self._refresh_buttons)
        self.tree.itemDoubleClicked.connect(lambda *_: self.go_to_selected())
        self.go_button = QPushButton("Go to")
        self.dismiss_button = QPushButton("Dismiss")
        self.check_button = QPushButton("Check again")
        self.go_button.clicked.connect(self.go_to_selected)
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        self.check_button.clicked.connect(lambda: self.check())
        row = QHBoxLayout()
        for button in (self.go_button, self.dismiss_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        # Whether this window may write the project now (not while a run or another
        # process writes it); the window sets it.
        self.may_write = lambda: True
        self._refresh_buttons()

    @property
    def writable(self) -> bool:
        return self.store is not None and self.may_write()

    # --- reading ---------------------------------------------------------------------------
    def set_store(self, store, library: str = "default") -> None:
        self.store, self.library = store, library
        self.refresh()

    def refresh(self) -> None:
        """Read the recorded flags (sections edited since their check are left out)."""
        from engine.check.record import section_flags, stale_sections

        self.flags = section_flags(self.store) if self.store is not None else {}
        stale = stale_sections(self.store) if self.store is not None else []
        self.tree.clear()
        for node_id, flags in self.flags.items():
            first = flags[0]
            section = QTreeWidgetItem(self.tree, [f"{first.section} {first.title} "
                                                  f"({len(flags)})"])
            for flag in flags:
                item = QTreeWidgetItem(section, [f"{KIND_WORDS.get(flag.kind, flag.kind)}: "
                                                 f"{flag.detail}"])
                item.setToolTip(0, flag.sentence)
                item.setData(0, FLAG, flag)
            section.setExpanded(True)
        count = self.count()
        self.heading.setText(self._heading(count, len(stale)))
        self.count_changed.emit(count)
        self._refresh_buttons()

    def _heading(self, count: int, stale: int) -> str:
        if self.store is None:
            return "No report open."
        words = (f"{to_check_text(count)[:1].upper()}{to_check_text(count)[1:]}."
                 if count else "No sentence to check.")
        if stale:
            words += f" {plural(stale, 'section')} changed since the last check."
        return words

    def count(self) -> int:
        return sum(len(flags) for flags in self.flags.values())

    def all_flags(self) -> list:
        return [flag for flags in self.flags.values() for flag in flags]

    def selected_flag(self):
        items = self.tree.selectedItems()
        return items[0].data(0, FLAG) if items else None

    # --- acting ----------------------------------------------------------------------------
    def go_to_selected(self) -> None:
        flag = self.selected_flag()
        if flag is not None:
            self.go_to.emit(flag.node_id, flag)

    def dismiss_selected(self) -> None:
        from engine.check.record import dismiss_flag

        flag = self.selected_flag()
        if flag is not None and self.store is not None and self.writable:
            dismiss_flag(self.store, flag.flag_id)
            self.refresh()

    def check(self, node_ids: list[str] | None = None) -> bool:
        """Check the written sections (or `node_ids`) in the engine process; asked while
        a check runs, it runs next (the sections asked for meanwhile, all of them)."""
        if self.store is None:
            return False
        if self.lane.busy:
            if node_ids is None:
                self._waiting_all = True
            else:
                self._waiting = sorted(set(self._waiting or []) | set(node_ids))
            return True
        sections, evidence = _check_input(self.store, node_ids)
        if not sections:
            return False
        self.heading.setText("Checking…")
        self.lane.start(check_sections_job(self.library, sections, evidence), "Checking")
        self._refresh_buttons()
        return True

    def _on_event(self, event) -> None:
        from engine.project.errors import ProjectError

        if isinstance(event, SectionsChecked) and self.writable:
            current = {node.node_id: node.content for _, node in
                       self.store.load_outline().walk()}
            try:
                for node_id, (text, flags) in event.results.items():
                    if current.get(node_id) == text:   # not edited while it was checked
                        self.store.save_claim_check(node_id, text, flags)
            except ProjectError as exc:    # a run began meanwhile: it checks as it writes
                self.heading.setText(f"Not recorded: {exc}")
                return
            self.refresh()

    def _after_check(self) -> None:
        if self._waiting_all or self._waiting:
            node_ids = None if self._waiting_all else self._waiting
            self._waiting, self._waiting_all = None, False
            self.check(node_ids)
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        selected = self.selected_flag() is not None
        self.go_button.setEnabled(selected)
        self.dismiss_button.setEnabled(selected and self.writable)
        self.dismiss_button.setToolTip("" if self.writable else
                                       "Dismiss once the run has stopped")
        self.check_button.setEnabled(self.store is not None and not self.lane.busy
                                     and self.writable)


def _check_input(store, node_ids: list[str] | None) -> tuple[list[dict], dict]:
    outline = store.load_outline()
    sections = [{"node_id": node.node_id, "section": position.removeprefix("section-"),
                 "title": node.title, "content": node.content}
                for position, node in outline.walk()
                if node.written and (node_ids is None or node.node_id in node_ids)]
    outline_text = "\n".join([outline.title] + [f"{n.title}\n{n.plan}"
                                                for _, n in outline.walk()])
    evidence = {"citations": {k: p.to_dict() for k, p in store.load_registry().items()},
                "question": store.query, "outline_text": outline_text}
    return sections, evidence
