"""The report project on disk: crash-safe SQLite store, migrations, resume."""
