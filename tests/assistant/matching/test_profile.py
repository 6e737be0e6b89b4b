"""Enterprise profiles: partial JSON, CSV and JSONL batches, and clear errors for bad input."""

from __future__ import annotations

import pytest

from assistant.errors import BatchTooLarge, InvalidInput
from assistant.matching.profile import Profile, parse_profiles, profile_from_dict

CSV = (
    "id,name,region,industry,founded,headcount,revenue,certifications,taxpayer_type,serious_dishonesty\n"
    "A1,甲公司,浙江省示例县,C3484,2018-05-01,85,6200,高企；专精特新,一般纳税人,否\n"
    "A2,乙公司,浙江省示例县,,,,,,,\n"
)


def test_partial_profile_keeps_unknowns_and_canonical_names():
    p = profile_from_dict({"region": "浙江省示例县", "certifications": "高企、科小、首台套"})
    assert p.headcount is None and p.industry is None and p.serious_dishonesty is None
    assert p.certifications == ["高新技术企业", "科技型中小企业", "首台（套）产品"]
    assert Profile().label() == "(unnamed profile)"


def test_csv_batch_with_blank_cells_and_yes_no_flags():
    a, b = parse_profiles(CSV.encode("utf-8"), "csv")
    assert a.taxpayer_type == "general" and a.serious_dishonesty is False
    assert a.certifications == ["高新技术企业", "专精特新中小企业"] and a.revenue == 6200
    assert b.name == "乙公司" and b.headcount is None and b.certifications is None


def test_gbk_csv_and_jsonl():
    (a, _) = parse_profiles(CSV.encode("gbk"), "csv")
    assert a.name == "甲公司"
    rows = parse_profiles('{"id": "J1", "headcount": 3}\n\n{"id": "J2"}\n', "jsonl")
    assert [r.id for r in rows] == ["J1", "J2"]


@pytest.mark.parametrize(
    ("data", "fmt", "message"),
    [
        ("id,colour\nA,red\n", "csv", "unknown CSV column(s): colour"),
        ("id,serious_dishonesty\nA,maybe\n", "csv", "line 2: serious_dishonesty: 'maybe' is not yes/no"),
        ('{"id": "A"}\nnot json\n', "jsonl", "line 2: not JSON"),
        ('[{"headcount": -1}]', "json", "profile 1: headcount: Input should be greater than or equal to 0"),
        ('[{"employees": 3}]', "json", "profile 1: employees: Extra inputs are not permitted"),
        ('{"id": "A"}', "json", "profiles must be a JSON list"),
        ('[{"taxpayer_type": "other"}]', "json", "taxpayer_type"),
        ("x", "xml", "unknown profile format 'xml'"),
    ],
)
def test_bad_input_is_named(data, fmt, message):
    with pytest.raises(InvalidInput) as e:
        parse_profiles(data, fmt)
    assert message in e.value.message and e.value.status == 422


def test_batches_are_bounded():
    with pytest.raises(BatchTooLarge) as e:
        parse_profiles("\n".join('{"id": "x"}' for _ in range(4)), "jsonl", limit=3)
    assert e.value.status == 413 and "at most 3" in e.value.message
