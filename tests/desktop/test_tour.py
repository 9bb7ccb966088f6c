"""The screenshot tour drives the real window through a replayed run over the shipped tour
library (Chroma, MiniLM, the PDF reader) and saves every shot, among them a model download
in progress from the tour's loopback hub and a library indexing with its time left."""
from __future__ import annotations

from desktop.qt import QImage


def test_the_tour_saves_every_shot(qapp, tmp_path):
    from desktop.tour import SHOTS, run_tour

    tour = run_tour(tmp_path / "shots")
    assert sorted(tour.saved) == sorted(shot.name for shot in SHOTS)
    assert {"section-citation.png", "evidence-pdf-page.png", "reading-view.png", "review.png",
            "history.png", "activity.png", "models.png", "library-progress.png",
            "claim-check.png"} <= set(tour.saved)
    for name in tour.saved:
        image = QImage(str(tmp_path / "shots" / name))
        assert not image.isNull() and image.width() > 300 and image.height() > 100, name
    assert 0 < tour.figures["click_to_pdf_page_s"] < 10
    # The states those two shots caught, as the window showed them.
    assert "left" in tour.notes["models.png"] and "/s" in tour.notes["models.png"]
    assert "left" in tour.notes["library-progress.png"]
    assert "chunks" in tour.notes["library-progress.png"]
    # The user's "45 million" where the source says 33 million, flagged.
    assert tour.notes["claim-check.png"].startswith("figure: figure 45 million not in its")
