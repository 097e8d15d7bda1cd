"""Read-only views of the records: one case's timeline, lists, what is due."""
