"""Sentence vectors: split, stored beside their chunk, replaced, re-statused and pruned with it, and scored."""

import numpy as np

from assistant.documents import Chunk
from assistant.retrieval import HybridRetriever, SearchFilters
from assistant.store.sentence_vectors import (
    MIN_SENTENCE_CHARS,
    chunk_similarity,
    is_sentence,
    owner_of,
    sentence_units,
    sentence_vectors,
)
from tests.lawfiles import write_law

# A long article whose third sentence alone answers "多久" (written for the test).
LONG = ("第五条 经营者设立分支机构的，应当向登记机关申请登记，并提交分支机构负责人的任职文件和经营场所使用证明。"
        "登记机关应当对申请材料进行形式审查，对申请材料齐全、符合法定形式的予以确认并当场登记。"
        "分支机构停止经营的，应当自决定停止之日起二十日内向原登记机关申请注销登记，逾期未申请的处五千元罚款。"
        "登记机关应当将登记信息通过国家企业信用信息公示系统向社会公示。")
SHORT = ["第一条 为了规范分支机构登记，制定本办法。", "第二条 本办法由登记机关负责实施。"]


def _chunk(text, cid="law.md#5"):
    return Chunk(id=cid, text=text, embed_text=f"示例登记办法 第一章 总则 {text}", source="law.md",
                 title="示例登记办法", doc_type="law", position=0, article="第五条", chapter="第一章 总则")


def test_units_join_short_sentences_and_a_one_sentence_chunk_has_none():
    units = sentence_units("第一条 短句。也短。这一句足够长，单独就能成为一个句子单元，说明一件事情。"
                           "第二句同样足够长，可以单独成为一个句子单元来嵌入。末句。")
    assert all(len(u) >= MIN_SENTENCE_CHARS for u in units) and len(units) == 2
    assert units[0] == "第一条 短句。也短。这一句足够长，单独就能成为一个句子单元，说明一件事情。"
    assert units[-1].endswith("嵌入。末句。")  # a short tail joins the last unit
    assert sentence_vectors([_chunk(SHORT[0])]) == []
    records = sentence_vectors([_chunk(LONG)])
    assert len(records) == 4
    assert [r.id for r in records] == [f"law.md#5#s{n}" for n in range(1, 5)]
    assert all(r.embed_text.startswith("示例登记办法 第一章 总则 ") and r.embed_text.endswith(r.text) for r in records)
    assert records[0].metadata()["owner"] == "law.md#5" and records[0].metadata()["article"] == "第五条"


def test_owner_of_maps_sentence_ids_and_leaves_chunk_ids_alone():
    assert owner_of("abc.123#s2") == "abc.123" and is_sentence("abc.123#s2")
    assert owner_of("abc.123") == "abc.123" and not is_sentence("abc.123")
    assert owner_of("doc#sec") == "doc#sec"  # '#s' not followed by a number is part of a chunk id


def test_chunk_similarity_is_the_mean_of_own_and_best_sentence():
    long, short = _chunk(LONG), _chunk(SHORT[0])
    assert chunk_similarity(long, 0.80, 0.90, 0.85) == (0.80 + 0.90) / 2
    # No sentence fetched: a one-sentence chunk's own vector is its sentence; otherwise at most the floor.
    assert chunk_similarity(short, 0.80, None, 0.85) == 0.80
    assert chunk_similarity(long, 0.88, None, 0.85) == (0.88 + 0.85) / 2


def _corpus(root):
    write_law(root / "部门规章", "示例分支机构登记办法", "2021-01-01", [*SHORT, LONG])
    return root


def test_sentences_are_stored_replaced_restatused_and_pruned_with_their_chunk(tmp_path, components):
    root = _corpus(tmp_path / "src")
    ing = components.ingester()
    report = ing.run([root])
    assert report.sentences == 4
    store = components.index.vectors
    live = {c.id for c in components.index.snapshot().chunks}
    every = store.ids(sentences=True)
    assert set(store.ids()) == live
    assert sum(map(is_sentence, every)) == 4 and {owner_of(i) for i in every} == live
    assert store.count() == len(live) + 4

    # A newer version supersedes the file: its sentences follow its chunks' status.
    write_law(root / "部门规章", "示例分支机构登记办法", "2024-01-01", [*SHORT, LONG.replace("二十日", "三十日")])
    ing.run([root])
    old = set(components.index.manifest.chunk_ids("部门规章/示例分支机构登记办法(2021-01-01).md"))
    old_sentences = [i for i in store.ids(sentences=True) if is_sentence(i) and owner_of(i) in old]
    assert len(old_sentences) == 4
    assert set(store.statuses(old_sentences).values()) == {"superseded"}

    # The file changes: the old chunks' sentences go with them. Then it is deleted: all of them go.
    new = root / "部门规章" / "示例分支机构登记办法(2024-01-01).md"
    write_law(root / "部门规章", "示例分支机构登记办法", "2024-01-01", [*SHORT, LONG.replace("二十日", "十五日")])
    ing.run([root])
    live = {c.id for c in components.index.snapshot().chunks}
    assert {owner_of(i) for i in store.ids(sentences=True)} == live
    new.unlink()
    (root / "部门规章" / "示例分支机构登记办法(2021-01-01).md").unlink()
    ing.run([root], prune=True)
    assert store.ids(sentences=True) == []


def test_a_sentence_record_left_by_a_killed_ingest_is_dropped(tmp_path, components):
    root = _corpus(tmp_path / "src")
    ing = components.ingester()
    ing.run([root])
    ghost = sentence_vectors([_chunk(LONG, cid="gone.0")])
    components.index.vectors.upsert([], components.embedder.embed_passages([g.embed_text for g in ghost]), ghost)
    ing.run([root])
    assert not any(owner_of(i) == "gone.0" for i in components.index.vectors.ids(sentences=True))


def test_the_sentence_that_answers_lifts_its_long_article(tmp_path, components):
    root = _corpus(tmp_path / "src")
    components.ingester().run([root])
    q = "分支机构不干了，多少天内要去注销？"
    hits = HybridRetriever(components.index, mode="dense").run(q, k=3).hits
    assert hits[0].chunk.article == "第五条"
    own_only = HybridRetriever(components.index, mode="dense", sentences=False).run(q, k=3).hits
    best = next(h for h in hits if h.chunk.article == "第五条")
    alone = next(h for h in own_only if h.chunk.article == "第五条")
    assert best.dense_score > alone.dense_score  # the answering sentence is closer than the whole article
    # A narrowing filter (documents) goes through Chroma's where clause, sentences included.
    only = HybridRetriever(components.index, mode="dense").run(
        q, k=3, filters=SearchFilters(sources={"部门规章/示例分支机构登记办法(2021-01-01).md"})).hits
    assert [h.chunk.article for h in only][:1] == ["第五条"]


def test_files_ingested_without_sentence_vectors_get_them_when_the_setting_turns_on(tmp_path, settings, embedder):
    from assistant.components import Components

    root = _corpus(tmp_path / "src")
    off = Components(settings.model_copy(update={"sentence_vectors": False}), embedder=embedder)
    assert off.ingester().run([root]).sentences == 0
    assert not any(is_sentence(i) for i in off.index.vectors.ids(sentences=True))
    on = Components(settings, embedder=embedder)
    again = on.ingester().run([root])  # the file is unchanged, but its layout is not the configured one
    assert again.count("updated") == 1 and again.sentences == 4
    assert on.ingester().run([root]).count("unchanged") == 1
    back = Components(settings.model_copy(update={"sentence_vectors": False}), embedder=embedder).ingester().run([root])
    assert back.count("updated") == 1  # and off again: the sentence vectors go with the replaced chunks
    assert not any(is_sentence(i) for i in on.index.vectors.ids(sentences=True))


def test_a_store_without_sentence_vectors_is_searched_by_chunk_vectors_alone(tmp_path, settings, embedder):
    from assistant.components import Components

    off = Components(settings.model_copy(update={"sentence_vectors": False}), embedder=embedder)
    off.ingester().run([_corpus(tmp_path / "src")])
    retriever = HybridRetriever(off.index, mode="dense")
    assert retriever.sentences is False
    q = "分支机构不干了，多少天内要去注销？"
    hits = retriever.run(q, k=3).hits
    vec = embedder.embed_queries([q])[0]
    stored = off.index.vectors.embeddings([h.chunk.id for h in hits])
    for h in hits:  # the dense score is the chunk's own cosine, not a mean with a guessed sentence score
        v = stored[h.chunk.id]
        assert abs(h.dense_score - float(v @ vec / (np.linalg.norm(v) * np.linalg.norm(vec)))) < 1e-3
