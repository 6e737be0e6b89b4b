from __future__ import annotations

from assistant.checklist.guide import ServiceGuide
from assistant.checklist.variants import request_variants, stated_variants, title_variants


def _guide(name: str, full_name: str | None = None) -> ServiceGuide:
    return ServiceGuide(id=name, name=name, department="d", full_name=full_name)


def test_a_variant_named_inside_the_title_is_seen():
    assert title_variants(_guide("海域使用权续期审核、审批")) == {"延续"}
    assert "延续" in request_variants("用海期限明年到期，想继续用下去")


def test_only_a_qualifying_variant_word_is_stated():
    # the trailing 遗失补发 qualifies the matter; 延期 inside 延期缴纳税款 is the matter itself
    assert stated_variants(_guide("危险化学品港口装卸管理人员从业资格证书遗失补发")) == {"补发"}
    assert stated_variants(_guide("对纳税人延期缴纳税款的核准")) == set()
    assert stated_variants(_guide("专职律师执业许可", "专职律师执业许可（注销）")) == {"注销"}
