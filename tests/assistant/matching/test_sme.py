"""Enterprise size by 《中小企业划型标准规定》 and industries from codes or words."""

from __future__ import annotations

import pytest

from assistant.matching.sme import RULES, classify, in_sectors, possible_sizes, sector_of, size_rule


@pytest.mark.parametrize(
    ("category", "values", "size"),
    [
        ("工业", {"headcount": 85, "revenue": 6200}, "small"),  # 300 persons are needed for medium
        ("工业", {"headcount": 300, "revenue": 2000}, "medium"),
        ("工业", {"headcount": 1000, "revenue": 40000}, "large"),
        ("工业", {"headcount": 19, "revenue": 5000}, "micro"),
        ("零售业", {"headcount": 9, "revenue": 200}, "micro"),
        ("批发业", {"headcount": 12, "revenue": 900}, "micro"),
        ("软件和信息技术服务业", {"headcount": 100, "revenue": 1000}, "medium"),
        ("房地产开发经营", {"revenue": 20000, "assets": 50000}, "medium"),
        ("租赁和商务服务业", {"headcount": 35, "assets": 900}, "small"),
        ("其他未列明行业", {"headcount": 3}, "micro"),
    ],
)
def test_classify_follows_the_thresholds(category, values, size):
    assert classify(RULES[category], values) == size


def test_sectors_from_codes_and_words():
    assert sector_of("C3484") == "C" and sector_of("c1610") == "C16"
    assert sector_of("F5212") == "F52" and sector_of("I6513") == "I65"
    assert sector_of("软件开发") == "I65" and sector_of("批发和零售业") == "F51"
    assert sector_of("综合服务") is None and sector_of(None) is None
    assert size_rule("C3484") is RULES["工业"] and size_rule("F52") is RULES["零售业"]
    assert in_sectors("C3484", ("B", "C", "D")) and not in_sectors("F5191", ("C16",))


def test_unknown_metrics_give_the_range_of_possible_sizes():
    sizes, unknown = possible_sizes("C", {"headcount": 10, "revenue": None})
    assert sizes == {"micro"} and unknown == ["revenue"]  # under 20 persons is micro whatever the revenue
    sizes, _ = possible_sizes("C", {"headcount": 500, "revenue": None})
    assert sizes == {"medium", "small", "micro"}  # under 1000 persons an industrial enterprise is never large
    sizes, unknown = possible_sizes("C", {"headcount": 1500, "revenue": None})
    assert sizes == {"large", "medium", "small", "micro"} and unknown == ["revenue"]
    sizes, _ = possible_sizes(None, {"headcount": 15, "revenue": 200, "assets": None})
    assert sizes == {"small", "micro"}  # every category agrees it is no larger than small
