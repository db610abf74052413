"""JSON answers of the hot routes, serialised by orjson.

`/trace`, `/verify`, `/posts/{post_id}` and the family graph are a few indexed look-ups
(well under a millisecond), so their handlers run on the event loop and return bytes
directly: the threadpool hop and FastAPI's re-validation of the library's output cost
as much as the look-up itself. Their response models still document them in OpenAPI,
and the schemathesis test checks the answers against those models.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import Response


class FastJSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)
