import datetime as dt

from assistant.triage import Triager
from assistant.triage.report import cluster_appeals, render_html, render_markdown

APPEALS = [
    "工业园区停电没有提前通知，设备损坏",
    "园区又停电了，也不通知，生产线全停",
    "停电太频繁了，供电所不通知就停电",
    "公司拖欠工资三个月",
    "老板拖欠工资不发",
    "城管说我占道经营要罚款",
]


def _results():
    return Triager(today=lambda: dt.date(2025, 3, 7)).triage_batch(APPEALS)


def test_clusters_group_similar_appeals():
    clusters = cluster_appeals(_results())
    assert sum(c.size for c in clusters) == len(APPEALS)
    biggest = clusters[0]
    assert biggest.size == 3 and biggest.department == "utilities"
    assert "停电" in biggest.terms
    assert sorted(biggest.members) == [0, 1, 2]
    assert len(biggest.representatives) == 3
    wages = next(c for c in clusters if c.department == "human_resources")
    assert wages.size == 2


def test_markdown_and_html_reports():
    results = _results()
    clusters = cluster_appeals(results)
    md = render_markdown(clusters, len(results))
    assert md.startswith("# 涉企诉求共性问题报告") and "| 1 | 3 | 供水供电供气单位 |" in md
    page = render_html(clusters, len(results))
    assert "<svg" in page and "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert page.count("<rect") == len(clusters)


def test_empty_batch():
    assert cluster_appeals([]) == []
