"""Downloads: CSV tables and exported documents, with a file name.

Every download says what it is in `Content-Disposition` (`attachment; filename=…`), so
a browser saves `adoption-kominfo-wa-20240126.csv`, not `adoption`; CSV leaves as
UTF-8 with a header row (`tracer.tables`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from fastapi import Query
from fastapi.responses import Response, StreamingResponse

from tracer import CSV_MEDIA_TYPE, Table, csv_lines

Format = Literal["json", "csv"]
FormatQuery = Query(description="`json`, or `csv`: a UTF-8 table with a header row")
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "OK"}
}


def disposition(name: str, *, inline: bool = False) -> dict[str, str]:
    """The header that names a download (names from `tracer.tables.file_name` are safe);
    `inline` for JSON, which a browser may show rather than save."""
    return {"Content-Disposition": f'{"inline" if inline else "attachment"}; filename="{name}"'}


def csv_response(
    table: Table, items: Iterable[Mapping[str, Any]], zone: str, name: str
) -> Response:
    """The items as a streamed CSV download: long lists never sit whole in memory."""
    return StreamingResponse(
        csv_lines(table, items, zone), media_type=CSV_MEDIA_TYPE, headers=disposition(name)
    )
