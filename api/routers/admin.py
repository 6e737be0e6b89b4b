"""Admin routes (API key required): ingest a server path or an uploaded file, delete a document, exports."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, PlainTextResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from api.deps import ComponentsDep
from api.routers.appeals import AppealIn, TriagerDep, _appeal
from api.security import require_api_key
from assistant.components import Components
from assistant.errors import Forbidden, InvalidInput, LoadError, NotFound, PayloadTooLarge
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.lock import ingest_lock
from ingest.versions import title_key

router = APIRouter(prefix="/v1/admin", tags=["admin"], dependencies=[Depends(require_api_key)])


# -- models -------------------------------------------------------------------------------------------------

class IngestPathRequest(BaseModel):
    path: str = Field(min_length=1, max_length=4096, description="a file or folder on the server, under an ingest root")
    prune: bool = Field(False, description="forget files gone from this folder")
    force: bool = Field(False, description="re-ingest unchanged files")


class OutcomeOut(BaseModel):
    source: str
    action: str
    chunks: int
    error: str = ""


class IngestOut(BaseModel):
    added: int
    updated: int
    unchanged: int
    removed: int
    failed: int
    chunks_written: int
    seconds: float
    outcomes: list[OutcomeOut]


class DocumentOut(BaseModel):
    source: str
    title: str
    version_date: str | None
    doc_type: str
    status: str
    chunks: int


class TriageReportRequest(BaseModel):
    appeals: list[AppealIn] = Field(min_length=1)
    format: Literal["markdown", "html", "json"] = "markdown"


def _report(report) -> dict:
    return {
        **{a: report.count(a) for a in ("added", "updated", "unchanged", "removed", "failed")},
        "chunks_written": report.chunks_written, "seconds": round(report.seconds, 3),
        "outcomes": [o.__dict__ for o in report.outcomes],
    }


def _upload_dir(components: Components) -> Path:
    s = components.settings
    return (s.upload_dir or s.data_dir / "uploads").resolve()


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


# -- ingest -------------------------------------------------------------------------------------------------

def _ingest_path(components: Components, body: IngestPathRequest) -> dict:
    s = components.settings
    if "\x00" in body.path:
        raise InvalidInput("path contains a NUL byte")
    roots = [Path(r).resolve() for r in (s.ingest_roots or [s.corpus_dir])] + [_upload_dir(components)]
    path = Path(body.path)
    path = (path if path.is_absolute() else Path.cwd() / path).resolve()
    if not any(_inside(path, r) for r in roots):
        raise Forbidden(f"{body.path} is outside the ingest roots (HUIQI_INGEST_ROOTS)")
    if not path.exists():
        raise NotFound(f"no such file or folder on the server: {body.path}")
    with ingest_lock(s.data_dir):
        return _report(components.ingester().run([path], prune=body.prune, force=body.force))


def _safe_name(filename: str | None) -> str:
    name = Path((filename or "").replace("\\", "/")).name.strip()
    if not name or name.startswith(".") or "\x00" in name or len(name) > 200:
        raise InvalidInput("the upload needs a plain file name (no folders, not hidden, at most 200 characters)")
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise InvalidInput(f"unsupported file type '{Path(name).suffix or name}'; supported: "
                           f"{', '.join(SUPPORTED_SUFFIXES)}")
    return name


def _ingest_upload(components: Components, name: str, staged: Path, force: bool) -> dict:
    """Move the staged upload into place and ingest it; a file that fails leaves the previous version as it was."""
    folder = _upload_dir(components)
    dest = folder / name
    backup = folder / f".{name}.{uuid.uuid4().hex[:8]}.bak"
    with ingest_lock(components.settings.data_dir):
        if dest.exists():
            os.replace(dest, backup)
        os.replace(staged, dest)
        try:
            report = components.ingester().run([dest], force=force, root=folder)
        except BaseException:
            _restore(dest, backup)
            raise
        failed = report.failed
        if failed:
            _restore(dest, backup)
            raise LoadError(name, failed[0].error or "could not be ingested")
        backup.unlink(missing_ok=True)
        return _report(report)


def _restore(dest: Path, backup: Path) -> None:
    if backup.exists():
        os.replace(backup, dest)
    else:
        dest.unlink(missing_ok=True)


async def _stage_upload(request: Request, components: Components) -> tuple[str, Path, bool]:
    try:
        form = await request.form(max_files=1, max_fields=10)
    except HTTPException as e:  # Starlette's answer to a malformed body, or the body limit (413)
        if e.status_code == 413:
            raise PayloadTooLarge(str(e.detail)) from e
        raise InvalidInput(f"malformed multipart body: {e.detail}") from e
    except MultiPartException as e:
        raise InvalidInput(f"malformed multipart body: {e.message}") from e
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise InvalidInput("multipart body needs a 'file' part holding the document")
    name = _safe_name(upload.filename)
    force = str(form.get("force", "false")).lower() in ("1", "true", "yes", "on")
    folder = _upload_dir(components)
    staging = folder / ".staging"
    staging.mkdir(parents=True, exist_ok=True)
    staged = staging / f"{uuid.uuid4().hex}{Path(name).suffix.lower()}"
    limit = components.settings.max_upload_bytes
    size = 0
    with staged.open("wb") as out:
        while block := await upload.read(1 << 20):
            size += len(block)
            if size > limit:
                out.close()
                staged.unlink(missing_ok=True)
                raise PayloadTooLarge(f"upload larger than {limit} bytes")
            out.write(block)
    await form.close()
    if size == 0:
        staged.unlink(missing_ok=True)
        raise LoadError(name, "the file is empty")
    return name, staged, force


@router.post("/ingest", response_model=IngestOut)
async def ingest(request: Request, components: ComponentsDep) -> dict:
    """JSON ``{"path", "prune", "force"}`` ingests a server path; multipart with a ``file`` part ingests an upload."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        name, staged, force = await _stage_upload(request, components)
        try:
            return await run_in_threadpool(_ingest_upload, components, name, staged, force)
        finally:
            staged.unlink(missing_ok=True)
    if ctype not in ("application/json", ""):
        raise InvalidInput(f"unsupported content type '{ctype}': send JSON {{\"path\": ...}} or multipart 'file'")
    raw = await request.body()
    try:
        body = IngestPathRequest.model_validate_json(raw or b"")
    except ValidationError as e:
        err = e.errors()[0]
        loc = ".".join(str(x) for x in err.get("loc", ()))
        raise InvalidInput(f"{loc}: {err.get('msg')}" if loc else str(err.get("msg"))) from None
    return await run_in_threadpool(_ingest_path, components, body)


# -- documents ----------------------------------------------------------------------------------------------

@router.get("/documents", response_model=list[DocumentOut])
async def documents(components: ComponentsDep) -> list[dict]:
    """Every ingested file (source, title, version date, type, status, chunk count)."""
    files = await run_in_threadpool(components.index.manifest.files)
    return [{"source": f.source, "title": f.title, "version_date": f.version_date, "doc_type": f.doc_type,
             "status": f.status, "chunks": f.n_chunks} for f in files]


def _delete(components: Components, source: str) -> dict:
    index = components.index
    with ingest_lock(components.settings.data_dir):
        entry = index.manifest.file(source)
        if entry is None:
            raise NotFound(f"no document with source {source!r}")
        ids = index.manifest.remove_file(source)  # the commit point: readers stop seeing it here
        index.vectors.delete(ids)  # if this fails, the next ingest drops the orphans
        ingester = components.ingester()
        ingester._restatus({title_key(entry.title)})  # an older version may be in force again
        index.publish()
        upload = Path(entry.root) / source
        if entry.root and Path(entry.root) == _upload_dir(components) and upload.is_file():
            upload.unlink()
    return {"source": source, "deleted_chunks": len(ids)}


@router.delete("/documents/{source:path}")
async def delete_document(source: str, components: ComponentsDep) -> dict:
    """Remove a document (every chunk of it) from the index; 404 when it is not there."""
    if not source.strip() or "\x00" in source or len(source) > 1000:
        raise InvalidInput("source must be a document's source path as listed by GET /v1/admin/documents")
    return await run_in_threadpool(_delete, components, source)


# -- exports ------------------------------------------------------------------------------------------------

@router.post("/exports/triage-report", responses={200: {"content": {"text/markdown": {}, "text/html": {}}}})
async def triage_report(body: TriageReportRequest, triager: TriagerDep) -> Any:
    """Triage a batch of appeals and cluster it into common issues (举一反三): Markdown, HTML or JSON."""
    from assistant.triage.report import cluster_appeals, render_html, render_markdown

    results = await run_in_threadpool(triager.triage_batch, [_appeal(a) for a in body.appeals])
    clusters = await run_in_threadpool(cluster_appeals, results)
    if body.format == "html":
        return HTMLResponse(render_html(clusters, len(results)))
    if body.format == "markdown":
        return PlainTextResponse(render_markdown(clusters, len(results)), media_type="text/markdown; charset=utf-8")
    return {"total": len(results), "clusters": [
        {"size": c.size, "department": c.department, "department_name": c.department_name, "types": c.types,
         "representatives": c.representatives, "terms": c.terms} for c in clusters]}

