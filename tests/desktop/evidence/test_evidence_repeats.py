"""A passage whose text several documents share is stored once (issue 20); the evidence
pane still names every place it occurs, read from the library's manifest."""
from __future__ import annotations

from engine.library import open_library

NOTICE = ("This report is provided for information only. The agency makes no warranty as "
          "to the accuracy of the figures, which are subject to revision without notice.")


def test_the_evidence_pane_lists_every_place_of_a_shared_text(qtbot, tmp_path):
    from desktop.evidence.panel import EvidencePanel

    folder = tmp_path / "reports"
    folder.mkdir()
    for number, topic in enumerate(("river levels", "crop losses", "school closures")):
        (folder / f"report-{number}.md").write_text(
            f"# Report {number}\n\nThis report covers {topic} in the flooded districts "
            f"during August, with figures from the field teams.\n\n## Notice\n\n{NOTICE}\n",
            encoding="utf-8")
    library = open_library("shared", server="", hybrid=False)
    list(library.ingest([str(folder)]))
    hits = library.search("warranty as to the accuracy of the figures", k=5)
    notice = next(p for p in hits if "warranty" in p.text)
    assert notice.repeats == 2 and [p for p in hits if "warranty" in p.text] == [notice]
    panel = EvidencePanel()
    qtbot.addWidget(panel)
    panel.library = "shared"
    panel.citations = {"textid1": notice}
    panel._add("textid1", notice, 1, True)
    panel.list.setCurrentRow(0)
    assert "also in 2 other places" in panel.list.item(0).text()
    shown = panel.context.toPlainText()
    assert "The same text is in 2 other places" in shown
    others = {f"report-{n}.md" for n in range(3)} - {notice.path.rsplit("/", 1)[-1]}
    assert all(name in shown for name in others)
    library.close()
