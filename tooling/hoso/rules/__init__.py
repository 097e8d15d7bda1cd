"""The party's rules as checks over records. Importing this package registers every check."""

from hoso.rules import records as records

__all__ = ["records"]
