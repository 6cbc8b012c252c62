"""One small adapter per published list format. Each turns a file's bytes into
`EntityRecord`s plus row errors; nothing is written to the database here."""

from .base import EntityRecord, ParseResult, RowError
from .csl_json import parse_csl_json
from .icp_csv import parse_icp_csv
from .un_xml import parse_un_xml

PARSERS = {
    "icp-csv": parse_icp_csv,
    "csl-json": parse_csl_json,
    "un-xml": parse_un_xml,
}

__all__ = ["PARSERS", "EntityRecord", "ParseResult", "RowError"]
