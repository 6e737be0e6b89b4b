"""Chat: grounded answers as JSON, as SSE, and over the OpenAI chat-completions protocol; sessions by id."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Response
from fastapi.concurrency import iterate_in_threadpool, run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field
from sse_starlette import EventSourceResponse, ServerSentEvent

from api.deps import AnswersDep
from assistant.answers.service import GENERATORS, MAX_QUESTION_CHARS, AnswerService
from assistant.answers.sessions import Turn
from assistant.errors import HuiqiError, InvalidInput

log = logging.getLogger("huiqi.api.chat")
router = APIRouter(prefix="/v1", tags=["chat"])

SessionId = Annotated[str, Path(min_length=1, max_length=64, description="a session id from an answer")]
#: History longer than this in one OpenAI request is cut to its tail (a follow-up reads only the last turns).
MAX_MESSAGES = 100


class ChatRequest(BaseModel):
    question: str = Field(..., min_length=1, max_length=MAX_QUESTION_CHARS, description="the enterprise's question")
    session_id: str | None = Field(None, min_length=1, max_length=64, description="continue this conversation")
    generator: str | None = Field(None, max_length=32, description="extractive | llm; default from settings")


class CitationOut(BaseModel):
    source: str
    title: str
    version_date: str | None
    article: str
    quote: str
    chunk_id: str
    status: str


class AnswerOut(BaseModel):
    answer: str
    citations: list[CitationOut]
    abstained: bool
    query: str = Field(description="the standalone query used for retrieval and the answer")
    session_id: str | None
    generator: str
    notice: str | None
    suggestion: str | None


class TurnOut(BaseModel):
    role: str
    content: str
    query: str | None
    citations: list[dict[str, Any]]
    created_at: float


class SessionOut(BaseModel):
    session_id: str
    turns: list[TurnOut]


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):  # only the text parts: huiqi reads no images
            return "".join(p.text or "" for p in self.content if p.type == "text")
        return self.content or ""


class CompletionRequest(BaseModel):
    """The OpenAI chat-completions body; sampling fields (temperature, max_tokens, …) are accepted and ignored."""

    model_config = ConfigDict(extra="allow")
    model: str | None = Field(None, max_length=200, description="extractive | llm picks the generator; others accepted")
    messages: list[Message] = Field(..., min_length=1, max_length=MAX_MESSAGES)
    stream: bool = False
    session_id: str | None = Field(None, min_length=1, max_length=64, description="huiqi extra: a stored session")


# -- JSON and SSE -----------------------------------------------------------------------------------------------

@router.post("/chat", response_model=AnswerOut)
async def chat(body: ChatRequest, answers: AnswersDep) -> Any:
    """The whole answer with its citations (a new session unless ``session_id`` is given)."""
    answer = await run_in_threadpool(answers.answer, body.question, body.session_id, body.generator)
    return answer.to_dict()


@router.post("/chat/stream", response_class=EventSourceResponse,
             responses={200: {"content": {"text/event-stream": {}}, "description": "delta…, citations, done"}})
async def chat_stream(body: ChatRequest, answers: AnswersDep) -> EventSourceResponse:
    """SSE: ``delta`` {text} frames, then ``citations``, then ``done`` (the answer); ``error`` {code, message}."""
    events = await started(answers.stream(body.question, body.session_id, body.generator))

    async def frames() -> AsyncIterator[ServerSentEvent]:
        try:
            async for event, data in events:
                yield ServerSentEvent(_json(data), event=event)
        except Exception as e:  # noqa: BLE001 — the client is told, then the stream ends; logged in stream_error
            yield ServerSentEvent(_json(stream_error(e)), event="error")

    return EventSourceResponse(frames(), sep="\n")


async def started(events: Iterator[tuple[str, Any]]) -> AsyncIterator[tuple[str, Any]]:
    """Runs the first step before the response starts (a bad request is a plain 4xx), the rest in the threadpool."""
    end = object()
    first = await run_in_threadpool(next, events, end)

    async def rest() -> AsyncIterator[tuple[str, Any]]:
        if first is not end:
            yield first
        async for item in iterate_in_threadpool(events):
            yield item

    return rest()


def stream_error(e: Exception) -> dict[str, str]:
    """The {code, message} an error event carries, once the 200 and the first frames have gone out."""
    if isinstance(e, HuiqiError):
        return {"code": e.code, "message": e.message}
    log.exception("answer stream failed", exc_info=e)
    return {"code": "internal_error", "message": "internal error; see the server log"}


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


# -- sessions ---------------------------------------------------------------------------------------------------

@router.get("/sessions/{session_id}", response_model=SessionOut)
async def get_session(session_id: SessionId, answers: AnswersDep) -> Any:
    """Every kept turn of a conversation, oldest first."""
    turns = await run_in_threadpool(answers.sessions.history, session_id, 10_000)
    return {"session_id": session_id, "turns": [t.to_dict() for t in turns]}


@router.delete("/sessions/{session_id}", status_code=204)
async def delete_session(session_id: SessionId, answers: AnswersDep) -> Response:
    """Forget a conversation."""
    await run_in_threadpool(answers.sessions.delete, session_id)
    return Response(status_code=204)


# -- OpenAI-compatible ------------------------------------------------------------------------------------------

@router.post("/chat/completions", responses={200: {"content": {"text/event-stream": {}}}})
async def chat_completions(body: CompletionRequest, answers: AnswersDep) -> Any:
    """OpenAI chat completions: the last user message is the question, earlier messages the conversation."""
    question, earlier = split_messages(body.messages)
    generator = body.model if body.model in GENERATORS else None
    sid, ephemeral = body.session_id, body.session_id is None
    if ephemeral:
        sid = await run_in_threadpool(seed_session, answers, earlier)
    reply = CompletionFrames(body.model)
    if not body.stream:
        try:
            answer = await run_in_threadpool(answers.answer, question, sid, generator)
        finally:
            if ephemeral:
                await run_in_threadpool(_forget, answers, sid)
        return reply.completion(_kept(answer.to_dict(), ephemeral))
    try:
        events = await started(answers.stream(question, sid, generator))
    except BaseException:
        if ephemeral:
            await run_in_threadpool(_forget, answers, sid)
        raise

    async def frames() -> AsyncIterator[str]:
        try:
            yield _json(reply.chunk({"role": "assistant", "content": ""}))
            async for event, data in events:
                if event == "delta":
                    yield _json(reply.chunk({"content": data["text"]}))
                elif event == "done":
                    yield _json(reply.chunk({}, finish="stop", answer=_kept(data, ephemeral)))
        except Exception as e:  # noqa: BLE001 — OpenAI clients raise on a frame with an "error" key
            yield _json({"error": stream_error(e)})
        finally:
            if ephemeral:
                await run_in_threadpool(_forget, answers, sid)
        yield "[DONE]"

    return EventSourceResponse(frames(), sep="\n")


def split_messages(messages: list[Message]) -> tuple[str, list[Message]]:
    """(the question, the earlier user/assistant messages); the last message must be the user's."""
    last = messages[-1]
    if last.role != "user":
        raise InvalidInput(f"the last message must be the user's question, not {last.role!r}")
    question = last.text().strip()
    if not question:
        raise InvalidInput("the last user message is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidInput(f"question is {len(question)} characters; at most {MAX_QUESTION_CHARS}")
    return question, [m for m in messages[:-1] if m.role in ("user", "assistant") and m.text().strip()]


def seed_session(answers: AnswerService, earlier: list[Message]) -> str:
    """A new session holding the conversation the client sent (OpenAI clients keep history themselves)."""
    sid = answers.sessions.create()
    for m in earlier:
        answers.sessions.append(sid, Turn(m.role, m.text().strip()))
    return sid


def _kept(answer: dict[str, Any], ephemeral: bool) -> dict[str, Any]:
    """The answer as the client sees it: no session id when the session is not kept."""
    return {**answer, "session_id": None} if ephemeral else answer


def _forget(answers: AnswerService, sid: str) -> None:
    # The client holds the conversation: the server keeps none of it once the reply is out.
    try:
        answers.sessions.delete(sid)
    except HuiqiError:
        pass  # already gone (expired or purged)


class CompletionFrames:
    """The OpenAI response objects of one completion (one id, one created time); huiqi's answer rides along."""

    def __init__(self, model: str | None):
        self.id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        self.created = int(time.time())
        self.model = model or "huiqi"

    def _base(self, obj: str) -> dict[str, Any]:
        return {"id": self.id, "object": obj, "created": self.created, "model": self.model}

    def completion(self, answer: dict[str, Any]) -> dict[str, Any]:
        message = {"role": "assistant", "content": answer["answer"]}
        return {**self._base("chat.completion"),
                "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                "citations": answer["citations"], "huiqi": answer}

    def chunk(self, delta: dict[str, Any], finish: str | None = None, answer: dict | None = None) -> dict[str, Any]:
        out = {**self._base("chat.completion.chunk"),
               "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        if answer is not None:  # the last chunk: citations for widgets, the whole answer for huiqi clients
            out["citations"] = answer["citations"]
            out["huiqi"] = answer
        return out
