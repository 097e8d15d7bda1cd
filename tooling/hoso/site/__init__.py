"""Site pages as Markdown from pure functions; ``site_src/hooks.py`` only wires them in."""
