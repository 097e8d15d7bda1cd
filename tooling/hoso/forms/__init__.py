"""``hoso forms``: web forms for the clerks, served from a clone of the records repository.

``workspace`` keeps each case's work in its own git worktree and sends it as ``hoso submit``
does; ``index`` finds cases; ``fields`` says which fields a step's form shows; ``typed`` turns
typed values into the CLI's option values and refusals back into fields; ``auth`` knows who is
logged in; ``server`` and ``pages`` are the web side; ``run`` puts them together.
"""
