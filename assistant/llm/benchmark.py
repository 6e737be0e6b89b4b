"""Benchmark of the local chat model: assembly, load, first-token latency and tokens/s (prints figures).

Run: ``python -m assistant.llm.benchmark [--cache-dir DIR] [--fresh] [--threads 2]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from langchain_core.messages import HumanMessage, SystemMessage

from assistant.llm.gguf import ensure_local_gguf, marker_path
from assistant.llm.llamacpp import LlamaCppChatModel

_CONTEXT = (
    "《广东省促进中小企业发展条例》第二十条:县级以上人民政府应当安排中小企业发展专项资金,"
    "用于支持中小企业技术创新、公共服务体系建设和融资担保。"
)
_QUESTION = "根据上文,中小企业发展专项资金用于支持哪些方面?请简要回答。"


def run(cache_dir: Path, *, fresh: bool, threads: int, max_tokens: int) -> dict[str, float]:
    """Measure once and return the figures (seconds, tokens/s)."""
    figures: dict[str, float] = {}
    if fresh:
        # A verified file in the cache would be reused; a fresh folder times the real assembly.
        cache_dir = Path(tempfile.mkdtemp(prefix="huiqi-gguf-bench-"))
    started = time.perf_counter()
    path = ensure_local_gguf(cache_dir)
    figures["ensure_gguf_s"] = time.perf_counter() - started

    model = LlamaCppChatModel(model_path=path, n_ctx=2048, n_threads=threads, temperature=0.0, max_tokens=max_tokens)
    started = time.perf_counter()
    model.warm_up()
    figures["load_s"] = time.perf_counter() - started

    messages = [SystemMessage("你是惠企助手,只依据给定材料回答。"), HumanMessage(f"材料:{_CONTEXT}\n\n问题:{_QUESTION}")]
    figures["prompt_tokens"] = float(sum(model.get_num_tokens(m.text) for m in messages))
    started = time.perf_counter()
    first = None
    pieces = []
    for chunk in model.stream(messages):
        if chunk.content:
            first = first if first is not None else time.perf_counter()
            pieces.append(chunk.content)
    ended = time.perf_counter()
    figures["first_token_s"] = (first or ended) - started
    figures["chunks"] = float(len(pieces))
    figures["decode_tokens_per_s"] = (len(pieces) - 1) / (ended - first) if first and len(pieces) > 1 else 0.0
    print("answer:", "".join(pieces))
    if fresh:
        path.unlink(missing_ok=True)
        marker_path(path).unlink(missing_ok=True)
    return figures


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, default=Path.home() / ".cache" / "huiqi")
    parser.add_argument("--fresh", action="store_true", help="assemble into a temporary folder (times assembly)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=96)
    args = parser.parse_args()
    for name, value in run(args.cache_dir, fresh=args.fresh, threads=args.threads, max_tokens=args.max_tokens).items():
        print(f"{name:>22}: {value:.2f}")


if __name__ == "__main__":
    main()
