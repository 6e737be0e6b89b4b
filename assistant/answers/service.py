"""AnswerService: question (and session) in, a grounded answer out — or streamed as delta/citations/done events."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

from assistant.answers.decompose import merge_hits, question_parts
from assistant.answers.evidence import Article, SupportJudge, article_key, select_articles, subject_bigrams
from assistant.answers.extractive import abstention_text, citation_of, extractive_answer
from assistant.answers.followup import contextualize, rewrite_with_llm
from assistant.answers.llm import (
    attribute,
    build_messages,
    declined,
    prompt_sources,
    quoted_basis,
    stream_tokens,
)
from assistant.answers.models import Answer
from assistant.answers.sessions import Turn
from assistant.answers.suggestions import DepartmentSuggester
from assistant.answers.validation import check_answer
from assistant.answers.versions import VersionGuide
from assistant.documents import Chunk, Hit
from assistant.errors import InvalidInput, LLMUnavailable, NotFound, UnknownBackend
from assistant.retrieval import MAX_QUERY_CHARS, SearchFilters
from assistant.settings import DEFAULT_EMBEDDING_MODEL

GENERATORS = ("extractive", "llm")
MAX_QUESTION_CHARS = 2000
SEARCH_K = 8
#: A follow-up's own words bring in an article of the documents in view when both retrievers rank it this high there.
OWN_WORDS_TOP = 3
FALLBACK_NOTICE = "大模型回答未通过引用校验（{problem}），已改为条文摘录。"
NO_LLM_NOTICE = "未配置大模型，已改为条文摘录。"
LLM_FAILED_NOTICE = "大模型暂不可用，已改为条文摘录。"
LLM_DECLINED_NOTICE = "大模型未能依据条文作答，以下为相关条文摘录，请据此判断。"


#: The packaged e5-small's similarity below which no article is about the question. With chunk vectors only,
#: every answerable qa_dev question's best article scored ≥ 0.878 and off-topic questions (天气, 电影, 菜谱, 签证 …)
#: 0.76–0.87. With sentence vectors (a chunk's mean of its own and its best sentence's similarity) the figures
#: are ≥ 0.881 and 0.77–0.86.
E5_MIN_SIMILARITY = 0.865


def min_similarity_for(settings: Any) -> float:
    """``answer_min_similarity`` when set; otherwise the calibrated value for the packaged model, else off."""
    value = getattr(settings, "answer_min_similarity", None)
    if value is not None:
        return value
    model = getattr(settings, "embedding_model", "") or ""
    return E5_MIN_SIMILARITY if model == DEFAULT_EMBEDDING_MODEL else 0.0


class AnswerService:
    """Answers questions from the retrieved articles in force, with citations, follow-ups and abstention."""

    def __init__(self, retriever: Any, sessions: Any, chat_model: Any = None, settings: Any = None, *,
                 suggester: Any = None, articles: int | None = None):
        self.retriever = retriever
        self.sessions = sessions
        self.chat_model = chat_model
        self.settings = settings
        self.default_generator = getattr(settings, "answer_generator", None) or "extractive"
        self.max_articles = articles or getattr(settings, "answer_articles", None) or 4
        self.suggester = suggester or DepartmentSuggester()
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._min_similarity = min_similarity_for(settings)
        self._judge = SupportJudge(min_similarity=self._min_similarity)
        self._versions = VersionGuide()
        self._siblings: dict[tuple[str, str], list[Chunk]] = {}

    # --- public API -------------------------------------------------------------------------------------

    def answer(self, question: str, session_id: str | None = None, generator: str | None = None) -> Answer:
        """The whole answer at once (the stream, consumed)."""
        answer = None
        for event, data in self.events(question, session_id, generator):
            if event == "answer":
                answer = data
        assert answer is not None
        return answer

    def stream(self, question: str, session_id: str | None = None,
               generator: str | None = None) -> Iterator[tuple[str, dict]]:
        """("delta", {"text"}) many times, then ("citations", {"citations"}), then ("done", answer dict)."""
        for event, data in self.events(question, session_id, generator):
            if event == "answer":
                yield "citations", {"citations": [c.to_dict() for c in data.citations]}
                yield "done", data.to_dict()
            else:
                yield event, data

    # --- the pipeline -----------------------------------------------------------------------------------

    def events(self, question: str, session_id: str | None = None,
               generator: str | None = None) -> Iterator[tuple[str, Any]]:
        """("delta", {"text"}) events, then ("answer", Answer): the pipeline that answer() and stream() share."""
        question = (question or "").strip()
        if not question:
            raise InvalidInput("question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            raise InvalidInput(f"question is {len(question)} characters; at most {MAX_QUESTION_CHARS}")
        generator = generator or self.default_generator
        if generator not in GENERATORS:
            raise UnknownBackend(f"unknown generator {generator!r}; valid: {', '.join(GENERATORS)}")
        if session_id is None:
            session_id = self.sessions.create()
        elif not self.sessions.exists(session_id):
            raise NotFound(f"session {session_id!r} not found")
        history = self.sessions.history(session_id)
        self._refresh()

        notice: str | None = None
        use_llm = generator == "llm" and self.chat_model is not None
        if generator == "llm" and self.chat_model is None:
            notice = NO_LLM_NOTICE
        query = self._standalone(question, history, use_llm)
        parts = question_parts(question) if query == question else []
        hits = self._retrieve(query, parts, question)
        carried = self._carried(query, question, history) if query != question else ([], [])
        replacing = self._versions.replacement_sources(query)
        if replacing:  # a repealed title is named: the document that replaced it answers
            hits = self._search(query, sources=replacing, said=question)[:2] + hits
        # a compound question quotes one more article for each part beyond the first
        articles = select_articles(hits, self._siblings, self.max_articles + max(0, len(parts) - 1))
        articles += self._still_in_view(articles, carried)
        verdict = self._judge.judge(question, query, articles)

        answer = Answer("", [], False, query, session_id, "llm" if use_llm else "extractive", hits=hits)
        if not verdict.grounded:
            answer.abstained = True
            answer.suggestion = self.suggester(query)
            answer.answer = abstention_text(answer.suggestion)
            answer.notice = self._versions.notice(query, [])
            yield from _deltas(answer.answer)
        elif use_llm:
            yield from self._llm(question if query == question else query, articles, answer)
            notice = answer.notice or notice
        else:
            answer.answer, answer.citations = extractive_answer(query, articles)
            yield from _deltas(answer.answer)
        if not answer.abstained:
            version_note = self._versions.notice(query, [c.source for c in answer.citations])
            override_note = self._versions.override_notice([(c.title, c.article) for c in answer.citations])
            answer.notice = " ".join(n for n in (notice, version_note, override_note) if n) or None
        self._record(session_id, question, answer)
        yield "answer", answer

    def _llm(self, question: str, articles: list[Article], answer: Answer) -> Iterator[tuple[str, Any]]:
        """Streams the LLM's answer; when it fails validation, the extractive answer follows with a note."""
        pieces: list[str] = []
        sources = prompt_sources(question, articles)  # what the prompt shows is what citations may rest on
        try:
            for piece in stream_tokens(self.chat_model, build_messages(question, articles, sources)):
                pieces.append(piece)
                yield "delta", {"text": piece}
        except LLMUnavailable:
            answer.notice = LLM_FAILED_NOTICE
        text = attribute("".join(pieces).strip(), sources)
        if answer.notice is None:
            check = check_answer(text, sources)
            if declined(text, question):
                # The evidence judge found the articles adequate; a small model declining them is more
                # often the model's weakness than a missing basis (on qa_dev the local 1.5B declined 69% of
                # answerable questions): quote the articles instead, and say so.
                answer.notice = LLM_DECLINED_NOTICE
            elif check.ok:
                basis = quoted_basis(articles, check.cited)
                answer.answer = text + basis
                answer.citations = [citation_of(articles[n - 1]) for n in check.cited]
                yield from _deltas(basis)
                return
            else:
                answer.notice = FALLBACK_NOTICE.format(problem=check.problem)
        answer.generator = "extractive"
        answer.answer, answer.citations = extractive_answer(question, articles)
        # The streamed LLM text is withdrawn: the done event carries the answer that stands.
        yield "delta", {"text": f"\n\n（{answer.notice}）\n\n"}
        yield from _deltas(answer.answer)

    def _standalone(self, question: str, history: list, use_llm: bool) -> str:
        if not history:
            return question
        if use_llm:
            try:
                rewritten = rewrite_with_llm(self.chat_model, question, history)
            except Exception:  # noqa: BLE001 — a failed rewrite only costs the heuristic
                rewritten = None
            if rewritten:
                return contextualize(question, history, lead=rewritten)
        return contextualize(question, history)

    def _retrieve(self, query: str, parts: list[str], said: str) -> list[Hit]:
        """Hits for the standalone query, and per part of a compound question (not a rewritten follow-up).

        ``said`` is the user's own latest message: only its everyday words are expanded into statutory terms.
        """
        if not parts:
            return self._search(query, said=said)
        return merge_hits([self._search(query, said=said)] + [self._search(p) for p in parts])

    def _carried(self, query: str, said: str, history: list) -> tuple[list[Hit], list[Hit]]:
        """What a follow-up keeps in view from the documents the last answer cited.

        (earlier, own): the articles the last answer cited, as they rank among their documents' hits for the
        follow-up's standalone query (an earlier article that does not bear on the follow-up is not among them);
        and the best other article of those documents for the follow-up's own words alone, when both retrievers
        rank it in their top ``OWN_WORDS_TOP`` there ("要是没验收就先投产了呢？" within the regulation the
        conversation is about: its penalty article, which the earlier turns in the standalone query outweigh in
        an open search).
        """
        cited = next((t.citations for t in reversed(history) if t.role == "assistant"), [])
        keys = {(c.get("source"), c.get("article")) for c in cited}
        if not keys:
            return [], []
        sources = {s for s, _ in keys}
        earlier = [h for h in self._search(query, sources=sources, said=said) if article_key(h.chunk) in keys]
        best = [h for h in self._search(said, sources=sources, said=said) if article_key(h.chunk) not in keys][:1]
        # only where both retrievers put it among the documents' top few for those words: a follow-up with
        # little of its own ("那满20年的呢？") would otherwise bring in whatever article matches "20年"
        own = [h for h in best if _within(h.dense_rank, OWN_WORDS_TOP) and _within(h.bm25_rank, OWN_WORDS_TOP)
               and subject_bigrams(said) & subject_bigrams(h.chunk.text)]
        return earlier, own

    def _still_in_view(self, articles: list[Article], carried: tuple[list[Hit], list[Hit]]) -> list[Article]:
        """A follow-up's answer also quotes, when its own search dropped them, the earlier answer's article that
        bears most on it ("有没有时间限制？" is often answered by the very article cited before) and the best
        article of the earlier answer's documents for the follow-up's own words."""
        shown = {article_key(a.chunk) for a in articles}
        picks = [next((h for h in hits if article_key(h.chunk) not in shown), None) for hits in carried]
        return select_articles([h for h in picks if h is not None], self._siblings, 2)

    def _search(self, query: str, sources: set[str] | None = None, said: str | None = None) -> list[Hit]:
        query = query[-MAX_QUERY_CHARS:]
        filters = SearchFilters(in_force_only=True, sources=sources)
        search = getattr(self.retriever, "search", None)
        if search is not None:
            return list(search(query, k=SEARCH_K, filters=filters))
        return self.retriever.run(query, k=SEARCH_K, filters=filters, expand_from=said).hits

    def _refresh(self) -> None:
        """Rebuilds the per-corpus tables (versions, article parts, unknown terms) when the corpus changed."""
        index = getattr(self.retriever, "index", None)
        if index is None:
            return
        snap = index.snapshot()
        if snap.generation == self._generation:
            return
        with self._lock:
            if snap.generation == self._generation:
                return
            siblings: dict[tuple[str, str], list[Chunk]] = {}
            for c in snap.chunks:
                if c.article:
                    siblings.setdefault((c.source, c.article), []).append(c)
            corpus_text = "\n".join(c.text for c in snap.chunks if c.status == "in_force")
            replacements = getattr(self.settings, "replacements_file", None)
            self._siblings = siblings
            self._judge = SupportJudge(corpus_text, min_similarity=self._min_similarity)
            self._versions = VersionGuide.from_chunks(snap.chunks, replacements)
            self._generation = snap.generation

    def _record(self, session_id: str, question: str, answer: Answer) -> None:
        cites = [{"source": c.source, "title": c.title, "article": c.article, "version_date": c.version_date}
                 for c in answer.citations]
        self.sessions.append(session_id, Turn("user", question, answer.query, []))
        self.sessions.append(session_id, Turn("assistant", answer.answer, answer.query, cites))


def _within(rank: int | None, top: int) -> bool:
    return rank is not None and rank <= top


def _deltas(text: str) -> Iterator[tuple[str, dict]]:
    """An answer text as stream pieces: line by line, long lines by sentence."""
    for piece in re.findall(r"[^\n。；]*[。；]?\n?", text):
        if piece:
            yield "delta", {"text": piece}


