"""Audit from the Git history alone: who decided what, which merge brought it, with whose
approval, and whether the history itself was rewritten."""
