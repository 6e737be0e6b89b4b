import pytest

from assistant.regions import regions_named


@pytest.mark.parametrize("text, regions", [
    ("我们是宁波的企业，有员工投诉拖欠工资", {"浙江省"}),
    ("浙江省内的工厂", {"浙江省"}),
    ("浙江西部的工厂", {"浙江省"}),  # 江西 inside 浙江西部 is not read: the first name found wins
    ("公司在上海浦东，分厂在苏州", {"上海市", "江苏省"}),
    ("广州南沙的养殖用海", {"广东省"}),
    ("公司三年前安排员工超时加班", set()),
    ("日照时间不足的车间", set()),  # an everyday word that is also a city counts only as 日照市
    ("日照市的企业", {"山东省"}),
    ("香港投资机构想在内地合伙设立企业", set()),  # a party, not the place whose rules apply
])
def test_regions_named(text, regions):
    assert regions_named(text) == regions
