"""Benchmark of the local chat model: assembly, load, first-token latency and tokens/s (prints figures).

Run: ``python -m assistant.llm.benchmark [--cache-dir DIR] [--fresh] [--threads 2]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from assistant.llm.gguf import ensure_local_gguf, marker_path
from assistant.llm.llamacpp import LlamaCppChatModel

# A made-up article (not corpus text): the answer can only come from the context.
_CONTEXT = "《青禾市小微企业扶持办法》第七条:对首次获评专精特新的小微企业,一次性奖励人民币三十万元。"
_QUESTION = "首次获评专精特新的小微企业能得到多少奖励?请简要回答。"


def _measure(model: LlamaCppChatModel, messages: list[BaseMessage], label: str) -> dict[str, float]:
    """Stream one answer: prompt size, first-token latency, decode speed."""
    prompt_tokens = sum(model.get_num_tokens(m.text) for m in messages)
    started = time.perf_counter()
    first = None
    pieces: list[str] = []
    for chunk in model.stream(messages):
        if chunk.content:
            first = first if first is not None else time.perf_counter()
            pieces.append(chunk.content)
    ended = time.perf_counter()
    print(f"[{label}] answer: {''.join(pieces)!r}")
    first = first or ended
    return {
        f"{label}_prompt_tokens": float(prompt_tokens),
        f"{label}_first_token_s": first - started,
        f"{label}_prompt_tokens_per_s": prompt_tokens / (first - started),
        f"{label}_output_chunks": float(len(pieces)),
        f"{label}_decode_tokens_per_s": (len(pieces) - 1) / (ended - first) if len(pieces) > 1 else 0.0,
    }


def _articles(n: int) -> str:
    # Made-up articles that vary, so llama.cpp's prefix cache cannot skip the prompt evaluation.
    return "\n".join(
        f"第{i}条:对年营业收入超过{i * 100}万元的小微企业,给予{i * 3}万元一次性奖励,由市工业和信息化局受理。"
        for i in range(1, n + 1)
    )


def run(cache_dir: Path, *, fresh: bool, threads: int, max_tokens: int) -> dict[str, float]:
    """Measure once and return the figures (seconds, tokens/s)."""
    figures: dict[str, float] = {}
    if fresh:
        # A verified file in the cache would be reused; a fresh folder times the real assembly.
        cache_dir = Path(tempfile.mkdtemp(prefix="huiqi-gguf-bench-"))
    started = time.perf_counter()
    path = ensure_local_gguf(cache_dir)
    figures["ensure_gguf_s"] = time.perf_counter() - started
    started = time.perf_counter()
    ensure_local_gguf(cache_dir)
    figures["ensure_gguf_again_s"] = time.perf_counter() - started

    model = LlamaCppChatModel(model_path=path, n_ctx=4096, n_threads=threads, temperature=0.0, max_tokens=max_tokens)
    started = time.perf_counter()
    model.warm_up()
    figures["load_s"] = time.perf_counter() - started

    system = SystemMessage("你是惠企助手,只依据给定材料回答。")
    short = [system, HumanMessage(f"材料:{_CONTEXT}\n\n问题:{_QUESTION}")]
    figures |= _measure(model, short, "short")
    rag = [system, HumanMessage(f"材料:\n{_articles(24)}\n\n问题:年营业收入超过1500万元的小微企业可获多少奖励?")]
    figures |= _measure(model, rag, "rag")
    long = [system, HumanMessage(f"材料:{_CONTEXT}\n\n请分五点详细说明企业申请这项奖励前应做哪些准备。")]
    figures |= _measure(model, long, "long")
    if fresh:
        path.unlink(missing_ok=True)
        marker_path(path).unlink(missing_ok=True)
        path.parent.rmdir()
        cache_dir.rmdir()
    return figures


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, default=Path.home() / ".cache" / "huiqi")
    parser.add_argument("--fresh", action="store_true", help="assemble into a temporary folder (times assembly)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=160)
    args = parser.parse_args()
    for name, value in run(args.cache_dir, fresh=args.fresh, threads=args.threads, max_tokens=args.max_tokens).items():
        print(f"{name:>22}: {value:.2f}")


if __name__ == "__main__":
    main()
