"""Small pieces every room may use: the elided label, numbers in window text, the window's
settings file."""
