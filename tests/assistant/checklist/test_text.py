"""The everyday names of matters: what a request's words add, checked against the real Guangdong guides."""

import json

from assistant.checklist.text import SYNONYMS, expand
from tests.assistant.checklist.helpers import GUANGDONG


def test_everyday_names_add_the_formal_name_of_a_real_matter():
    names = [json.loads(line)["matter_name"] for line in GUANGDONG.read_text(encoding="utf-8").splitlines() if line]
    cases = {
        "这个月的税实在拿不出来，想晚几个月交": "延期缴纳税款",
        "园区要在楼顶装两个中继台给对讲机用": "无线电台（站）的设置使用和呼号指配审批",
        "桥墩挡着一个浮标，要挪航标到下游": "搬迁、拆除或者调整航标审批",
    }
    for request, formal in cases.items():
        assert formal in expand(request), request
        assert any(formal in n for n in names), formal
    # most formal terms of the table are words of real matter names (a few name a family: 营业执照, 个体工商户)
    named = sum(1 for formal in set(SYNONYMS.values()) if any(formal in n for n in names))
    assert named >= 0.9 * len(set(SYNONYMS.values()))
