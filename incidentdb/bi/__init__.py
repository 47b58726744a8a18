"""The BI side: a read-only login for BI tools (reader, privileges, roster), and the data
dictionary (dictionary).

BI tools read the views in the `reporting` schema and nothing else; the dictionary describes
those views from their files in incidentdb/views/, and with everything=True the core tables
from the database's comments.
"""

from incidentdb.bi.dictionary import (
    Column,
    Relation,
    data_dictionary,
    dictionary_json,
    dictionary_markdown,
    dictionary_rows,
)
from incidentdb.bi.login import Login, login_details
from incidentdb.bi.reader import (
    CORE_SCHEMA,
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_STATEMENT_TIMEOUT,
    READER_COMMENT,
    READER_PASSWORD_ENV,
    REPORTING_SCHEMA,
    BiError,
    InvalidRoleName,
    Reader,
    create_reader,
    validate_duration,
    validate_role_name,
)
from incidentdb.bi.roster import ReaderInfo, drop_reader, list_readers, reader_privileges

__all__ = [
    "CORE_SCHEMA",
    "DEFAULT_IDLE_TIMEOUT",
    "DEFAULT_STATEMENT_TIMEOUT",
    "READER_COMMENT",
    "READER_PASSWORD_ENV",
    "REPORTING_SCHEMA",
    "BiError",
    "Column",
    "InvalidRoleName",
    "Login",
    "Reader",
    "ReaderInfo",
    "Relation",
    "create_reader",
    "data_dictionary",
    "dictionary_json",
    "dictionary_rows",
    "dictionary_markdown",
    "drop_reader",
    "list_readers",
    "login_details",
    "reader_privileges",
    "validate_duration",
    "validate_role_name",
]
