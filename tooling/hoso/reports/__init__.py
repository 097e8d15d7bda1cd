"""Periodic reports for the standing committee, in Markdown, CSV, Excel and Word."""
