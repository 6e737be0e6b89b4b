import datetime as dt

import pytest

from assistant.errors import InvalidInput
from assistant.triage.deadline import SLA, add_working_days, complexity_tier, load_holidays


def test_working_days_skip_weekends_and_holidays():
    friday = dt.date(2025, 3, 7)
    assert add_working_days(friday, 0) == friday
    assert add_working_days(friday, 1) == dt.date(2025, 3, 10)
    assert add_working_days(friday, 3) == dt.date(2025, 3, 12)
    assert add_working_days(friday, 3, frozenset({dt.date(2025, 3, 10)})) == dt.date(2025, 3, 13)
    # received on a Saturday: the clock starts on Monday
    assert add_working_days(dt.date(2025, 3, 8), 0) == dt.date(2025, 3, 10)


def test_sla_parse():
    assert SLA.parse("1,5,10").days("复杂") == 10
    assert SLA().days("简易") == 0 and SLA().days("一般") == 3 and SLA().days("复杂") == 7
    with pytest.raises(InvalidInput, match="three whole numbers"):
        SLA.parse("3,7")
    with pytest.raises(InvalidInput, match="cannot be negative"):
        SLA.parse("0,-1,7")


def test_holidays_file(tmp_path):
    f = tmp_path / "holidays.txt"
    f.write_text("# 2025 劳动节\n2025-05-01\n2025-05-02  # 调休\n\n", encoding="utf-8")
    assert load_holidays(f) == {dt.date(2025, 5, 1), dt.date(2025, 5, 2)}
    f.write_text("5月1日\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="holidays.txt:1: not an ISO date"):
        load_holidays(f)
    with pytest.raises(InvalidInput, match="cannot read holidays file"):
        load_holidays(tmp_path / "none.txt")


def test_complexity_tiers():
    assert complexity_tier("小规模纳税人增值税怎么交？", "咨询", 0.9) == "简易"
    assert complexity_tier("电费突然多了一千元，没人解释", "投诉", 0.9) == "一般"
    long_multi = "项目款拖欠一年多，找了好几个部门互相推诿，涉及金额三百万元，工人多次上门。"
    assert complexity_tier(long_multi, "投诉", 0.9) == "复杂"
