"""POST /v1/checklists: matters, materials, departments and time limits for an enterprise's request."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, PlainTextResponse
from pydantic import BaseModel, Field

from assistant.checklist.checklist import MatterItem, citation_for
from assistant.checklist.render import to_html, to_markdown
from assistant.checklist.service import MAX_REQUEST_CHARS, ChecklistService
from assistant.errors import NoServiceGuides

router = APIRouter(prefix="/v1/checklists", tags=["checklists"])


def get_checklist_service(request: Request) -> ChecklistService:
    """The app's checklist service (``app.state.checklists``)."""
    service = getattr(request.app.state, "checklists", None)
    if service is None:
        raise NoServiceGuides("checklists are not configured on this server (no service guides loaded)")
    return service


ChecklistServiceDep = Annotated[ChecklistService, Depends(get_checklist_service)]


class ChecklistRequest(BaseModel):
    request: str = Field(..., min_length=1, max_length=MAX_REQUEST_CHARS, description="the enterprise's words")
    matter_ids: list[str] | None = Field(None, max_length=20, description="skip matter selection: these guide ids")


class MaterialOut(BaseModel):
    name: str
    form: str | None = None
    copies: int | None = None
    note: str | None = None


class CitationOut(BaseModel):
    source: str
    title: str
    article: str = ""
    url: str | None = None


class MatterOut(BaseModel):
    id: str
    name: str
    title: str
    department: str
    matter_type: str | None
    region: str | None
    variants: list[str]
    conditions: str | None
    materials: list[MaterialOut]
    legal_time_limit: str | None
    promised_time_limit: str | None
    location: str | None
    fees: str | None
    basis: list[str]
    citation: CitationOut
    alternatives: list[dict[str, str]]
    confidence: float


class MergedMaterialOut(BaseModel):
    name: str
    matters: list[str]
    form: str | None = None
    copies: int | None = None
    note: str | None = None


class DepartmentOut(BaseModel):
    department: str
    matters: list[str]


class ClarificationOut(BaseModel):
    question: str
    candidates: list[dict[str, str]]


class ChecklistOut(BaseModel):
    request: str
    matters: list[MatterOut]
    materials: list[MergedMaterialOut]
    departments: list[DepartmentOut]
    clarification: ClarificationOut | None


@router.post("", response_model=ChecklistOut, responses={200: {"content": {"text/markdown": {}, "text/html": {}}}})
async def create_checklist(
    body: ChecklistRequest,
    service: ChecklistServiceDep,
    format: Annotated[Literal["json", "markdown", "html"], Query(description="response format")] = "json",
) -> Any:
    """Identify the matters a request needs and return their checklist (merged across matters)."""
    checklist = await run_in_threadpool(service.draft, body.request, body.matter_ids)
    if format == "markdown":
        return PlainTextResponse(to_markdown(checklist), media_type="text/markdown; charset=utf-8")
    if format == "html":
        return HTMLResponse(to_html(checklist))
    return checklist.to_dict()


@router.get("/guides/{guide_id}", response_model=MatterOut)
async def get_guide(guide_id: str, service: ChecklistServiceDep) -> Any:
    """One service guide by id, in the shape of a checklist matter."""
    guide = service.guide(guide_id)
    return MatterItem(guide, citation_for(guide)).to_dict()
