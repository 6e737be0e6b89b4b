import datetime as dt
from pathlib import Path

import pytest

from assistant.errors import BatchTooLarge, InvalidInput
from assistant.llm.fake import ScriptedChatModel
from assistant.triage import Appeal, Triager
from assistant.triage.deadline import SLA, add_working_days

CORPUS = Path(__file__).resolve().parents[3] / "corpus"


def test_one_appeal_end_to_end(lexical_triager):
    r = lexical_triager.triage("我叫张三，电话13912345678。工地总包拖欠我们班组工人工资四个月了，请帮忙讨薪！")
    assert r.departments[0].id == "human_resources"
    assert len(r.departments) == 3
    assert "13912345678" not in r.masked_text and "[电话]" in r.masked_text
    assert r.type == "求助"
    assert r.received == dt.date(2025, 3, 7)
    assert r.due == dt.date(2025, 3, 7) + dt.timedelta(days={0: 0, 3: 5, 7: 11}[r.sla_days])
    d = r.to_dict()
    assert d["due"] == r.due.isoformat() and d["departments"][0]["id"] == "human_resources"


def test_simple_question_is_due_the_same_day():
    triager = Triager(today=lambda: dt.date(2025, 3, 7))
    r = triager.triage("请问小规模纳税人增值税征收率是多少？")
    assert (r.type, r.tier, r.sla_days, r.due) == ("咨询", "简易", 0, dt.date(2025, 3, 7))
    assert r.departments[0].id == "taxation"


def test_sla_and_holidays_are_configurable():
    holiday = dt.date(2025, 3, 10)
    triager = Triager(sla=SLA(1, 5, 10), holidays=[holiday])
    r = triager.triage(Appeal("电费突然多了一千元，供电所不解释", id="x", received=dt.date(2025, 3, 7)))
    assert r.tier == "一般" and r.sla_days == 5
    assert r.due == dt.date(2025, 3, 17)  # Mon 10th is a holiday: 11,12,13,14,17
    assert r.id == "x"


def test_batch_limits_and_empty_text(lexical_triager):
    small = Triager(batch_limit=2)
    with pytest.raises(BatchTooLarge, match="3 appeals in one batch; the limit is 2"):
        small.triage_batch(["a", "b", "c"])
    with pytest.raises(InvalidInput, match="appeal #2 \\(b2\\) has no text"):
        lexical_triager.triage_batch([Appeal("发票开不了"), Appeal("  ", id="b2")])
    assert lexical_triager.triage_batch([]) == []
    with pytest.raises(InvalidInput, match="batch_limit"):
        Triager(batch_limit=0)


def test_batch_keeps_order(lexical_triager):
    texts = ["油烟扰民", "出口退税慢", "医保异地就医备案怎么办"]
    ids = [r.departments[0].id for r in lexical_triager.triage_batch(texts)]
    assert ids == ["urban_management", "taxation", "healthcare_security"]


def test_llm_adjudication_reorders_candidates(catalogue):
    text = "银行要求我们提前还款，贷款被抽走了"
    baseline = Triager(catalogue).triage(text)
    second = baseline.departments[1]
    model = ScriptedChatModel(replies=[f"应由 {second.id} 承办"])
    r = Triager(catalogue, chat_model=model).triage(text)
    assert r.adjudicated and r.departments[0].id == second.id
    assert r.departments[0].reason.startswith("大模型研判选定")
    prompt = model.calls[0][-1].content
    assert "银行要求我们提前还款" in prompt and baseline.departments[0].id in prompt


@pytest.mark.parametrize("reply", ["我不确定", RuntimeError("server down")])
def test_llm_adjudication_falls_back_to_the_classifier(catalogue, reply):
    text = "银行要求我们提前还款，贷款被抽走了"
    expected = [c.id for c in Triager(catalogue).triage(text).departments]
    r = Triager(catalogue, chat_model=ScriptedChatModel(replies=[reply])).triage(text)
    assert not r.adjudicated
    assert [c.id for c in r.departments] == expected


def test_personal_data_never_reaches_the_llm(catalogue):
    model = ScriptedChatModel(replies=["taxation"])
    Triager(catalogue, chat_model=model).triage("发票开不了，回电13912345678")
    assert "13912345678" not in model.calls[0][-1].content


def test_from_settings_wires_sla_holidays_cascade_and_catalogue(tmp_path):
    from assistant.components import Components
    from assistant.settings import Settings

    holidays = tmp_path / "holidays.txt"
    holidays.write_text("2025-03-10  # a made-up holiday\n", encoding="utf-8")
    settings = Settings(_env_file=None, cache_dir=tmp_path / "cache", corpus_dir=CORPUS, triage_sla="1,4,9",
                        holidays_file=holidays,
                        triage_dense_below=0.5, triage_batch_limit=7)
    triager = Components(settings).triager
    assert triager.classifier.dense_below == 0.5 and triager.batch_limit == 7
    assert triager.sla == SLA(1, 4, 9) and triager.holidays == {dt.date(2025, 3, 10)}
    assert len(triager.catalogue) == 27
    fast = Triager.from_settings(settings, None)
    r = fast.triage(Appeal("停电了也不通知，设备全停了，损失很大", received=dt.date(2025, 3, 7)))
    assert r.departments[0].id == "utilities"
    assert r.due == add_working_days(dt.date(2025, 3, 7), r.sla_days, frozenset({dt.date(2025, 3, 10)}))


def test_from_settings_reports_a_bad_sla(tmp_path):
    from assistant.settings import Settings

    with pytest.raises(InvalidInput, match="three whole numbers"):
        Triager.from_settings(Settings(_env_file=None, cache_dir=tmp_path, triage_sla="3,7"), None)


def test_from_settings_falls_back_to_the_packaged_catalogue_only_when_none_is_named(tmp_path):
    from assistant.errors import CatalogueInvalid
    from assistant.settings import Settings

    empty_corpus = Settings(_env_file=None, cache_dir=tmp_path, corpus_dir=tmp_path / "corpus")
    assert len(Triager.from_settings(empty_corpus, None).catalogue) == 27
    named = Settings(_env_file=None, cache_dir=tmp_path, triage_catalogue=tmp_path / "missing.yaml")
    with pytest.raises(CatalogueInvalid, match="cannot read department catalogue"):
        Triager.from_settings(named, None)
