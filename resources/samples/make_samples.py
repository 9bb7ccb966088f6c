"""Regenerate the sample documents `deepdraft self-test` indexes (run once; the files are
committed): a three-page PDF (pymupdf), a Word document (python-docx) and a Markdown file,
all on one topic so a short WARP run finds evidence in each.

    .venv/bin/python resources/samples/make_samples.py
"""
from __future__ import annotations

from pathlib import Path

import docx
import pymupdf as fitz

HERE = Path(__file__).resolve().parent

PDF_PAGES = [
    ("Honeybee colonies", [
        "A honeybee colony is a single family of one queen, tens of thousands of female "
        "worker bees and, in summer, a few hundred male drones.",
        "The queen lays up to two thousand eggs a day in spring. Workers change jobs as "
        "they age: young bees clean cells and feed larvae, middle-aged bees build comb and "
        "guard the entrance, and the oldest bees forage for nectar and pollen.",
        "A strong colony keeps its brood nest at about 35 degrees Celsius all year by "
        "clustering and by shivering its flight muscles.",
    ]),
    ("Foraging and the waggle dance", [
        "Foragers visit up to a hundred flowers on one trip and fly as far as five "
        "kilometres from the hive when food is scarce.",
        "A forager that finds a rich patch of flowers performs the waggle dance on the comb. "
        "The angle of the waggle run against vertical gives the direction of the patch "
        "relative to the sun, and the length of the run gives its distance.",
        "Flower constancy, the habit of visiting one plant species per trip, is what makes "
        "honeybees efficient pollinators of a single crop.",
    ]),
    ("Honey and wax", [
        "Honey is nectar that workers concentrate by evaporation until it holds less than "
        "twenty percent water, which stops yeasts from fermenting it.",
        "Beeswax is secreted by glands on the underside of young workers' abdomens; a "
        "colony uses about eight kilograms of honey to make one kilogram of wax.",
        "A managed colony in a good year stores twenty to forty kilograms of surplus honey.",
    ]),
]

DOCX_SECTIONS = [
    ("Pollination services in agriculture", [
        "About three quarters of the leading food crops benefit from animal pollination, "
        "and managed honeybees are the most widely used pollinator.",
        "Almond orchards in California rent roughly two million honeybee colonies every "
        "February, most of the managed colonies in the United States.",
    ]),
    ("Economic value", [
        "Estimates of the global value of crop pollination by insects range from 235 to "
        "577 billion US dollars a year.",
        "Apples, blueberries, cherries and rapeseed all give larger and more even harvests "
        "when orchards and fields are stocked with hives during bloom.",
    ]),
]

MARKDOWN = """# Threats to honeybee health

## Varroa mites

The parasitic mite *Varroa destructor* feeds on the fat body of bees and spreads deformed
wing virus. Untreated colonies in temperate climates usually die within two to three years.

## Pesticides and forage

Neonicotinoid insecticides impair foraging and navigation at doses below those that kill.
Large monocultures flower for a few weeks only, leaving bees short of pollen for the rest of
the season.

## Colony losses

Beekeepers in Europe and North America report winter losses of 15 to 30 percent of their
colonies, against about 10 percent considered normal. Losses are replaced by splitting strong
colonies, so hive numbers stay stable while the cost of keeping them rises.
"""


def make_pdf(path: Path) -> None:
    document = fitz.open()
    for title, paragraphs in PDF_PAGES:
        page = document.new_page()
        box = fitz.Rect(72, 72, page.rect.width - 72, page.rect.height - 72)
        text = title + "\n\n" + "\n\n".join(paragraphs)
        page.insert_textbox(box, text, fontsize=11, fontname="helv")
    document.set_metadata({"title": "The honeybee colony", "author": "Deepdraft samples"})
    document.save(path, garbage=4, deflate=True)


def make_docx(path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Honeybees and crop pollination"
    document.add_heading("Honeybees and crop pollination", level=0)
    for heading, paragraphs in DOCX_SECTIONS:
        document.add_heading(heading, level=1)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    document.save(path)


def main() -> None:
    make_pdf(HERE / "honeybee-colony.pdf")
    make_docx(HERE / "crop-pollination.docx")
    (HERE / "bee-health.md").write_text(MARKDOWN, encoding="utf-8")


if __name__ == "__main__":
    main()
