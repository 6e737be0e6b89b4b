"""The answer prompt's constant prefix is reused from llama.cpp's KV cache between questions (first-token time)."""

from __future__ import annotations

import pytest

from assistant.answers.evidence import Article
from assistant.answers.llm import build_messages
from assistant.documents import Chunk, Hit

pytestmark = pytest.mark.llm


def article(text: str, label: str) -> Article:
    chunk = Chunk(id=label, text=text, embed_text=text, source="示例条例.md", title="示例条例", doc_type="law",
                  position=0, article=label)
    return Article(Hit(chunk, 1.0, dense_score=0.9), text)


def test_second_question_reuses_the_cached_prompt_prefix(llama_chat, capfd):
    prefix = llama_chat.get_num_tokens("".join(m.content for m in build_messages("问", [])[:-1]))
    llama_chat.invoke(build_messages("多久答复？", [article("第二条 主管部门应当在20日内答复。", "第二条")]), max_tokens=1)
    llama = llama_chat._load()
    verbose, llama.verbose = llama.verbose, True  # llama-cpp-python reports prefix hits only when verbose
    try:
        capfd.readouterr()
        llama_chat.invoke(build_messages("要交什么？", [article("第三条 申请人应当提交申请书。", "第三条")]), max_tokens=1)
        log = capfd.readouterr().err
    finally:
        llama.verbose = verbose
    hits = [int(line.split()[1]) for line in log.splitlines() if "prefix-match hit" in line]
    assert hits and hits[0] >= prefix, log[-500:]
