"""The ``hoso`` command: one thin module per verb."""
