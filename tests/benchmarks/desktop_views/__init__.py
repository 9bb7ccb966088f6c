"""The measurements of bench_desktop_views.py, one module per view."""
