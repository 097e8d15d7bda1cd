"""The party's rules as checks over records. Importing this package registers every check."""

from hoso.rules import admission as admission
from hoso.rules import deadlines as deadlines
from hoso.rules import discipline as discipline
from hoso.rules import exits as exits
from hoso.rules import org_discipline as org_discipline
from hoso.rules import others as others
from hoso.rules import path as path
from hoso.rules import ranking as ranking
from hoso.rules import readmission as readmission
from hoso.rules import records as records
from hoso.rules import standing as standing
from hoso.rules import unfinished_transfer as unfinished_transfer

__all__ = [
    "admission",
    "deadlines",
    "discipline",
    "exits",
    "org_discipline",
    "others",
    "path",
    "readmission",
    "records",
    "standing",
    "unfinished_transfer",
]
