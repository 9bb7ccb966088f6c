"""Constants shared by the desktop tests."""
LONG = 90000   # ms; the first Chroma/MiniLM load on 2 cores is slow
