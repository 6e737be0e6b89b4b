"""/v1/policies: benefit policies with their conditions, matching a profile, and whom to remind about a policy."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool

from api.deps import ComponentsDep
from assistant.errors import InvalidInput, PayloadTooLarge
from assistant.matching.conditions import Policy
from assistant.matching.matcher import Decision
from assistant.matching.profile import MAX_PROFILES, Profile, parse_profiles
from assistant.matching.service import Candidates, MatchingService

router = APIRouter(prefix="/v1/policies", tags=["policies"])
_FORMATS = {"text/csv": "csv", "application/x-ndjson": "jsonl", "application/jsonl": "jsonl",
            "application/json": "json", "": "json"}


def get_matching(request: Request, components: ComponentsDep) -> MatchingService:
    """The app's matching service, built on first use over the components' index."""
    service = getattr(request.app.state, "matching", None)
    if service is None:
        service = request.app.state.matching = MatchingService(components.index)
    return service


MatchingDep = Annotated[MatchingService, Depends(get_matching)]
AsOf = Annotated[dt.date | None, Query(description="judge application windows on this date (default: today)")]


@router.get("", response_model=list[Policy])
async def list_policies(service: MatchingDep) -> Any:
    """Benefit policies in force, each with its structured and to-confirm conditions and their source text."""
    return await run_in_threadpool(service.policies)


@router.post("/match", response_model=list[Decision])
async def match_profile(profile: Profile, service: MatchingDep, as_of: AsOf = None) -> Any:
    """Every policy classed for one enterprise profile, eligible first, by value and deadline."""
    return await run_in_threadpool(service.match, profile, as_of)


@router.post("/{policy_id}/candidates", response_model=Candidates)
async def candidates(policy_id: str, request: Request, service: MatchingDep, as_of: AsOf = None) -> Any:
    """Whom to remind about one policy: a JSON list of profiles, CSV/JSONL text, or a multipart ``file``."""
    service.policy(policy_id)  # 404 before reading a large body
    profiles = await _profiles(request, request.app.state.components.settings.max_body_bytes)
    return await run_in_threadpool(service.candidates, policy_id, profiles, as_of)


async def _profiles(request: Request, limit: int) -> list[Profile]:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        data, fmt = await _upload(request, limit)
    elif ctype in _FORMATS:
        data, fmt = await request.body(), _FORMATS[ctype]
    else:
        raise InvalidInput(f"unsupported content type '{ctype}': send JSON, text/csv, application/x-ndjson or a "
                           "multipart 'file'")
    if len(data) > limit:
        raise PayloadTooLarge(f"profiles larger than {limit} bytes")
    if not data.strip():
        raise InvalidInput("no profiles sent")
    if fmt == "json":
        try:
            parsed = json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise InvalidInput(f"body is not JSON ({e})") from e
        if isinstance(parsed, dict) and "profiles" in parsed:
            parsed = parsed["profiles"]
        return parse_profiles(json.dumps(parsed, ensure_ascii=False), "json", MAX_PROFILES)
    return parse_profiles(data, fmt, MAX_PROFILES)


async def _upload(request: Request, limit: int) -> tuple[bytes, str]:
    try:
        form = await request.form(max_files=1, max_fields=5)
    except AssertionError:  # python-multipart is not installed: the server's fault, not the request's
        raise
    except Exception as e:  # noqa: BLE001 — malformed multipart bodies raise several types
        raise InvalidInput(f"malformed multipart body: {getattr(e, 'detail', None) or e}") from e
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise InvalidInput("multipart body needs a 'file' part holding the profiles (.csv, .jsonl or .json)")
    name = (upload.filename or "").lower()
    fmt = next((f for f in ("csv", "jsonl", "json") if name.endswith(f".{f}")), None)
    if fmt is None:
        raise InvalidInput(f"'{upload.filename}': profiles must be .csv, .jsonl or .json")
    data = await upload.read(limit + 1)
    await form.close()
    return data, fmt
