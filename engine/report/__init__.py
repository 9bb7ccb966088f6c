"""The report being written, as data: the outline tree (sections, plans, text, who wrote
it), the citation registry (textidN keys to passages) and the read-only snapshot export
reads. The project store saves these and the WARP loop changes them; this package depends
on neither."""
