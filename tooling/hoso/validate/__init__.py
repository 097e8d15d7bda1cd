"""Validation of records and governance files: every problem, never only the first."""
