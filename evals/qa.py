"""QA eval: grounded answers on the qa/dialogue sets (must_include, gold citation, abstention, versions) and
`bench-answer`, the first-token latency of the extractive and LLM generators."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.articles import normalize_article
from evals.data import EVAL, LAWS, core_files, eval_components, read_jsonl, write_jsonl


def _sessions(settings) -> Any:
    """A throw-away SQLite session store: each eval run starts with no conversations."""
    from assistant.answers.sessions import SQLiteSessionStore

    return SQLiteSessionStore(Path(tempfile.mkdtemp(prefix="huiqi-qa-")) / "sessions.sqlite3")


def build_service(generator: str):
    """The answer service over the eval index of the core corpus (the chat model only for the llm generator)."""
    from assistant.answers.service import AnswerService

    comps = eval_components(core_files(), LAWS)
    chat = None
    if generator == "llm":
        from assistant.llm import create_chat_model

        s = comps.settings
        chat = create_chat_model("llamacpp", model_path=s.llm_gguf_path, cache_dir=s.cache_dir, n_ctx=2048,
                                 n_threads=s.llm_n_threads, temperature=0.0, max_tokens=200)
        chat.warm_up()
    return AnswerService(comps.retriever, _sessions(comps.settings), chat, comps.settings), comps


def ask_item(service, item: dict, generator: str) -> tuple[Any, float]:
    """The answer to an item's question (or to the last of its turns, in one session) and its first-delta ms."""
    turns = item.get("turns") or [item["question"]]
    sid = None
    for turn in turns[:-1]:
        sid = service.answer(turn, sid, generator).session_id
    t0 = time.perf_counter()
    first = None
    answer = None
    for event, data in service.events(turns[-1], sid, generator):
        if event == "delta" and first is None:
            first = (time.perf_counter() - t0) * 1000
        if event == "answer":
            answer = data
    return answer, first or 0.0


def cites_gold(item: dict, answer: dict) -> bool:
    gold = {normalize_article(a) for a in item.get("articles", [])}
    return any(c["source"] == item["doc"] and normalize_article(c["article"]) in gold for c in answer["citations"])


def score(items: list[dict], answers: list[dict], in_force: set[str]) -> dict:
    """The eval's metrics over items and their answers."""
    ans = [(i, a) for i, a in zip(items, answers) if i.get("answerable", True)]
    una = [(i, a) for i, a in zip(items, answers) if not i.get("answerable", True)]
    ver = [(i, a) for i, a in ans if i.get("kind") == "version"]

    def rate(xs: list, ok) -> float | None:
        return round(sum(1 for x in xs if ok(*x)) / len(xs), 4) if xs else None

    def includes(i: dict, a: dict) -> bool:
        return not a["abstained"] and all(s in a["answer"] for s in i.get("must_include", []))

    kinds: dict[str, dict] = {}
    for kind in sorted({i.get("kind", "") for i, _ in ans}):
        sub = [(i, a) for i, a in ans if i.get("kind", "") == kind]
        kinds[kind] = {"n": len(sub), "must_include": rate(sub, includes), "citation": rate(sub, cites_gold)}
    return {
        "answerable": len(ans),
        "unanswerable": len(una),
        "must_include": rate(ans, includes),
        "citation_hits_gold": rate(ans, cites_gold),
        "abstains_on_unanswerable": rate(una, lambda i, a: a["abstained"]),
        "wrong_abstention": rate(ans, lambda i, a: a["abstained"]),
        "version_items_on_newest": rate(
            ver, lambda i, a: cites_gold(i, a) and all(c["source"] in in_force for c in a["citations"])
        ),
        "by_kind": kinds,
    }


def run(set_path: Path, out: Path, generator: str = "extractive", limit: int | None = None) -> dict:
    """Answer every item of ``set_path``; write metrics.json and predictions.jsonl into ``out``."""
    items = read_jsonl(set_path)[:limit] if limit else read_jsonl(set_path)
    service, comps = build_service(generator)
    in_force = {c.source for c in comps.index.snapshot().chunks if c.status == "in_force"}
    answers, predictions, firsts = [], [], []
    t0 = time.perf_counter()
    for item in items:
        full, first = ask_item(service, item, generator)
        answer = full.to_dict()
        answers.append(answer)
        firsts.append(first)
        predictions.append({
            "id": item["id"],
            "answer": answer["answer"],
            "abstained": answer["abstained"],
            "citations": [{"source": c["source"], "article": c["article"]} for c in answer["citations"]],
            "hits": [{"source": h.chunk.source, "article": h.chunk.article, "score": round(h.score, 6)}
                     for h in full.hits],
            "query": answer["query"],
            "generator": answer["generator"],
            "notice": answer["notice"],
        })
    metrics = {
        "set": str(set_path),
        "generator": generator,
        "items": len(items),
        **score(items, answers, in_force),
        "first_delta_ms_p50": round(statistics.median(firsts), 1) if firsts else None,
        "seconds": round(time.perf_counter() - t0, 1),
        "llm_fallbacks": sum(1 for a in answers if generator == "llm" and a["generator"] == "extractive"),
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2))
    write_jsonl(out / "predictions.jsonl", predictions)
    return metrics


def bench(generator: str, n: int) -> dict:
    """First-delta latency (p50/p95 ms) and whole-answer time on the first ``n`` qa dev questions."""
    service, _ = build_service(generator)
    items = read_jsonl(EVAL / "qa_dev.jsonl")[:n]
    service.answer(items[0]["question"], None, generator)  # warm the corpus tables and the model
    firsts, totals = [], []
    for item in items:
        t0 = time.perf_counter()
        first = None
        for event, _ in service.stream(item["question"], None, generator):
            if event == "delta" and first is None:
                first = (time.perf_counter() - t0) * 1000
        totals.append((time.perf_counter() - t0) * 1000)
        firsts.append(first or totals[-1])
    firsts.sort()
    return {
        "generator": generator,
        "questions": len(items),
        "first_token_ms": {"p50": round(statistics.median(firsts), 1), "p95": round(firsts[int(len(firsts) * 0.95) - 1], 1)},
        "answer_ms_p50": round(statistics.median(totals), 1),
    }


def register(app: typer.Typer) -> None:
    @app.command()
    def qa(
        set_path: Annotated[Path, typer.Option("--set", help="qa- or dialogue-format JSONL")] = EVAL / "qa_dev.jsonl",
        out: Annotated[Path, typer.Option(help="output folder")] = Path("out/qa"),
        generator: Annotated[str, typer.Option(help="extractive | llm")] = "extractive",
        limit: Annotated[int | None, typer.Option(help="only the first N items (the LLM is slow)")] = None,
    ) -> None:
        """must_include, gold citation, abstention and version metrics of grounded answers."""
        typer.echo(json.dumps(run(set_path, out, generator, limit), ensure_ascii=False, indent=2))

    @app.command("bench-answer")
    def bench_answer(
        generator: Annotated[str, typer.Option(help="extractive | llm")] = "extractive",
        n: Annotated[int, typer.Option(help="questions to time")] = 30,
    ) -> None:
        """First-token p50/p95 of answers (extractive: ≤150 ms target; local 1.5B LLM: ≤2.5 s)."""
        typer.echo(json.dumps(bench(generator, n), ensure_ascii=False, indent=2))
