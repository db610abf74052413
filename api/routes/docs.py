"""`GET /docs`: Swagger UI, served from the npm package installed by the set-up (no CDN)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.errors import problem

ASSETS = "/assets/swagger-ui"


def install(app: FastAPI, node_modules: Path) -> None:
    """Mount the Swagger UI files when they are installed; /docs says so when they are not."""
    folder = node_modules / "swagger-ui-dist"
    present = (folder / "swagger-ui-bundle.js").is_file()
    if present:
        app.mount(ASSETS, StaticFiles(directory=folder), name="swagger-ui")
    router = APIRouter(include_in_schema=False)

    @router.get("/docs")
    def docs() -> HTMLResponse:
        if not present:
            return problem(  # type: ignore[return-value]
                503,
                "Service Unavailable",
                "Swagger UI is not installed: run `npm install` (make demo does it)",
            )
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="tracer API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )

    app.include_router(router)
