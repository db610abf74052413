"""JSON answers of the hot routes, serialised by orjson.

`/trace`, `/verify`, `/posts/{post_id}` and the family graph are a few indexed look-ups
(well under a millisecond; a family's graph is built once per family version and kept,
`tracer.graphcache`), so their handlers run on the event loop and return bytes
directly: the threadpool hop and FastAPI's re-validation of the library's output cost
as much as the look-up itself. Their response models still document them in OpenAPI,
and the schemathesis test checks the answers against those models.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import Response

from tracer import Rendered

NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not Modified: the `ETag` named in `If-None-Match` is current"}
}


class FastJSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def rendered(
    answer: Rendered, headers: dict[str, str] | None = None, media_type: str | None = None
) -> Response:
    """An answer rendered by the library (bytes, cached per family version) with its
    entity tag: 304 without a body when the request's `If-None-Match` named it.
    `Cache-Control: no-cache` lets a browser keep the copy and revalidate each time."""
    tagged = dict(headers or {})
    if answer.etag:
        tagged |= {"ETag": answer.etag, "Cache-Control": "no-cache"}
    if answer.body is None:
        return Response(status_code=304, headers=tagged)
    return Response(answer.body, media_type=media_type or answer.media_type, headers=tagged)
