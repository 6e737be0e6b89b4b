from assistant.store.keyword import KeywordIndex
from assistant.tokenizer import Tokenizer


def test_bm25_ranks_the_chunk_sharing_rare_terms_first_and_round_trips(tmp_path):
    tok = Tokenizer()
    texts = ["小规模纳税人增值税减按1%征收率征收", "用人单位应当与劳动者订立书面劳动合同", "研发费用加计扣除比例为100%"]
    idx = KeywordIndex.build(["a", "b", "c"], [tok(t) for t in texts], generation=3)
    scores = idx.scores(tok("研发费用怎么加计扣除"))
    assert int(scores.argmax()) == 2 and scores[0] == 0
    idx.save(tmp_path)
    loaded = KeywordIndex.load(tmp_path)
    assert loaded.generation == 3 and loaded.ids == ["a", "b", "c"]
    assert (loaded.scores(tok("劳动合同")) == idx.scores(tok("劳动合同"))).all()


def test_unknown_terms_score_zero_and_empty_index_loads(tmp_path):
    idx = KeywordIndex.build([], [], generation=0)
    assert idx.scores(["任何"]).size == 0
    idx.save(tmp_path)
    assert KeywordIndex.load(tmp_path).ids == []
    assert KeywordIndex.load(tmp_path / "missing") is None


def test_user_dictionary_keeps_policy_terms_whole():
    tokens = Tokenizer()("稳岗返还和专精特新的政策")
    assert "稳岗返还" in tokens and "专精特新" in tokens
    assert "的" not in tokens and "，" not in tokens
