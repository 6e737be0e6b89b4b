import pytest

from assistant.errors import InvalidInput
from assistant.triage.catalogue import parse_catalogue
from assistant.triage.learned import HistoryModel, LabelledAppeal

HISTORY = [
    LabelledAppeal("拖欠工资三个月", "human_resources", "投诉"),
    LabelledAppeal("工伤认定怎么申请", "human_resources", "咨询"),
    LabelledAppeal("发票开不出来了", "taxation", "求助"),
    LabelledAppeal("出口退税太慢", "taxation", "投诉"),
]


def test_fit_save_load_round_trip(catalogue, tmp_path):
    model = HistoryModel(catalogue).fit(HISTORY)
    path = tmp_path / "m.pkl"
    model.save(path)
    loaded = HistoryModel.load(path, catalogue)
    texts = ["工资被拖欠", "发票额度不够"]
    assert (loaded.department_log_proba(texts) == model.department_log_proba(texts)).all()
    assert loaded.trained_on == 4
    probs = loaded.type_proba(texts)
    assert set(probs[0]) == {"投诉", "咨询", "求助"}


def test_errors(catalogue, tmp_path):
    with pytest.raises(InvalidInput, match="history is empty"):
        HistoryModel(catalogue).fit([])
    with pytest.raises(InvalidInput, match="not in the catalogue: mars"):
        HistoryModel(catalogue).fit([LabelledAppeal("x", "mars")])
    path = tmp_path / "m.pkl"
    HistoryModel(catalogue).fit(HISTORY).save(path)
    other = parse_catalogue({"departments": [{"id": "a", "name": "A", "keywords": ["甲"]}]})
    with pytest.raises(InvalidInput, match="another department catalogue"):
        HistoryModel.load(path, other)
    junk = tmp_path / "junk.pkl"
    junk.write_bytes(b"not a pickle")
    with pytest.raises(InvalidInput, match="cannot read triage model"):
        HistoryModel.load(junk, catalogue)
