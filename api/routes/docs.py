"""`GET /docs`: Swagger UI, served from the npm package installed by the set-up (no CDN).

The page loads only the app's own files, its start-up code included (`/docs/init.js`),
so it works under the `default-src 'self'` CSP that every answer carries.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from api.errors import problem

ASSETS = "/assets/swagger-ui"
PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tracer API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
<link rel="icon" href="{ASSETS}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
"""
INIT = """window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
"""


def install(app: FastAPI, node_modules: Path) -> None:
    """Mount the Swagger UI files when they are installed; /docs says so when they are not."""
    folder = node_modules / "swagger-ui-dist"
    present = (folder / "swagger-ui-bundle.js").is_file()
    if present:
        app.mount(ASSETS, StaticFiles(directory=folder), name="swagger-ui")
    router = APIRouter(include_in_schema=False)

    @router.get("/docs")
    def docs() -> Response:
        if not present:
            return problem(
                503,
                "Service Unavailable",
                "Swagger UI is not installed: run `npm install` (make demo does it)",
            )
        return HTMLResponse(PAGE)

    @router.get("/docs/init.js")
    def init() -> Response:
        return Response(INIT, media_type="text/javascript")

    app.include_router(router)
