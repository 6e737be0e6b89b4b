"""Department routing with real components: jieba, the packaged catalogue, and the packaged e5 model on a small catalogue."""

import numpy as np
import pytest

from assistant.triage.catalogue import parse_catalogue
from assistant.triage.classifier import DepartmentClassifier, FusionWeights
from assistant.triage.learned import LabelledAppeal

# Appeals written for these tests (not from any eval set), one per department family.
CASES = [
    ("老板拖欠我们三个月工资了，一直说没钱", "human_resources"),
    ("隔壁烧烤摊油烟太大，而且天天占道经营", "urban_management"),
    ("我们开的发票被系统锁了，电子税务局提示异常", "taxation"),
    ("超市卖的月饼过期了还在卖", "market_regulation"),
    ("厂区突然停电也不通知，损失很大", "utilities"),
    ("想申请法律援助，请不起律师", "justice"),
    ("判决生效了对方就是不还钱，申请强制执行半年没动静", "court"),
    ("银行突然抽贷，企业资金链要断了", "financial_services"),
]


@pytest.fixture(scope="module")
def lexical(catalogue):
    classifier = DepartmentClassifier(catalogue)
    classifier.warm_up()
    return classifier


@pytest.mark.parametrize(("text", "department"), CASES)
def test_routes_plain_appeals_from_the_catalogue_alone(lexical, text, department):
    top = lexical.rank([text])[0]
    assert top[0].id == department
    assert len(top) == 3 and len({c.id for c in top}) == 3


def test_scores_are_calibrated_confidences_with_reasons(lexical):
    [top] = lexical.rank(["员工工伤认定申请交了两个月还没结论"], k=27)
    scores = [c.score for c in top]
    assert scores == sorted(scores, reverse=True)
    assert sum(scores) == pytest.approx(1.0, abs=1e-6)
    assert top[0].id == "human_resources"
    assert "工伤认定" in top[0].terms and "命中关键词" in top[0].reason
    assert top[0].mandate in lexical.catalogue.get("human_resources").mandates


def test_a_keyword_inside_a_longer_one_does_not_vote_again(lexical):
    # 消防验收 moved to 住建 in 2019; the 消防 inside it must not pull towards the fire brigade.
    matches = lexical.keywords.matches("新厂房的建设工程消防验收去哪里申请")
    terms = {m.term for m in matches}
    assert "消防验收" in terms and "消防" not in terms
    assert lexical.rank(["新厂房的建设工程消防验收去哪里申请"])[0][0].id == "housing_construction"


def test_one_incidental_keyword_is_not_a_certainty(lexical):
    # 学校 here says where the shop is, not what the appeal is about: one weak term must leave room for doubt.
    text = "学校对面的小卖部卖的辣条没有生产日期"
    plain_z = DepartmentClassifier(lexical.catalogue, weights=FusionWeights(keyword_spread=0.0))
    evidence = lexical.evidence([text])
    assert lexical.fuse(evidence).max() < plain_z.fuse(evidence).max()


def test_a_keyword_that_only_says_where_counts_less(lexical):
    [where] = [m for m in lexical.keywords.matches("学校对面的小卖部卖过期零食") if m.term == "学校"]
    [what] = [m for m in lexical.keywords.matches("学校拖欠我们的配送款，对面说没钱") if m.term == "学校"]
    assert where.weight == pytest.approx(what.weight * lexical.keywords.locative_weight)


def test_cascade_embeds_only_the_uncertain_appeals(catalogue, embedder, tmp_path):
    texts = ["出口退税三个月没到账，电子税务局一直显示审核中", "我们这边的事情一直没人管"]
    never = DepartmentClassifier(catalogue, embedder, cache_dir=tmp_path, dense_below=0.0).evidence(texts)
    assert np.isnan(never["dense"]).all()
    always = DepartmentClassifier(catalogue, embedder, cache_dir=tmp_path, dense_below=None).evidence(texts)
    assert not np.isnan(always["dense"]).any()
    cascade = DepartmentClassifier(catalogue, embedder, cache_dir=tmp_path, dense_below=0.9)
    evidence = cascade.evidence(texts)
    # The clear tax appeal is decided by its keywords; the vague one goes to the model.
    assert list(np.isnan(evidence["dense"]).all(axis=1)) == [True, False]
    assert cascade.rank(texts)[0][0].id == "taxation"


def test_history_teaches_a_local_convention(catalogue):
    # A deployment where 新能源汽车充电桩 complaints go to 发改 (a local arrangement the catalogue does not know).
    text = "充电桩装不上"
    classifier = DepartmentClassifier(catalogue)
    before = classifier.rank([text])[0][0].id
    history = [LabelledAppeal(t, "development_reform") for t in (
        "新能源汽车充电桩建设补贴怎么申请", "公共充电桩布局不合理，充电桩太少", "充电桩运营企业备案",
        "物业不让装充电桩", "充电桩电价收费太高", "新能源汽车充电桩进小区难")]
    classifier.fit(history)
    after = classifier.rank([text])[0][0].id
    assert before != "development_reform"
    assert after == "development_reform"


def test_dense_similarity_with_the_packaged_model(tmp_path, embedder):
    small = parse_catalogue({"departments": [
        {"id": "tax", "name": "税务局", "mandates": ["纳税申报、发票管理和出口退税"]},
        {"id": "hr", "name": "人力资源和社会保障局", "mandates": ["劳动保障监察：拖欠工资的查处", "工伤认定和社会保险"]},
        {"id": "env", "name": "生态环境局", "mandates": ["工业废水、废气和噪声污染的监管"]},
    ]})
    classifier = DepartmentClassifier(small, embedder, cache_dir=tmp_path)
    classifier.warm_up()
    assert list(tmp_path.glob("triage-mandates-*.npy")), "mandate vectors are cached"
    ranked = classifier.rank(["工厂晚上排黑水，河里的鱼都死了", "老板三个月没发工资", "出口退税什么时候到账"])
    assert [r[0].id for r in ranked] == ["env", "hr", "tax"]
    assert ranked[1][0].mandate == "劳动保障监察：拖欠工资的查处"
    evidence = classifier.evidence(["老板三个月没发工资"])
    assert evidence["dense"].shape == (1, 3) and np.all(evidence["dense"] <= 1.0001)
