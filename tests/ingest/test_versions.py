from ingest.versions import decide_status, load_replacements, title_key


def test_newest_version_is_in_force_and_override_wins():
    group = [("a(2020).md", "2020-07-05", None), ("a(2025).md", "2025-03-17", None)]
    assert decide_status(group) == {"a(2020).md": "superseded", "a(2025).md": "in_force"}
    group.append(("a(2018).md", "2018-01-01", "in_force"))
    assert decide_status(group)["a(2018).md"] == "in_force"
    assert set(decide_status(group, replaced=True).values()) == {"superseded", "in_force"}
    assert decide_status([("x", None, None)]) == {"x": "in_force"}


def test_title_key_ignores_prefix_spaces_and_revision_notes():
    assert title_key("中华人民共和国 劳动合同法") == title_key("劳动合同法")
    assert title_key("公司法（2018年修正）") == title_key("公司法")
    assert title_key("上海市优化营商环境条例") != title_key("优化营商环境条例")


def test_packaged_replacements_name_a_basis():
    pairs = load_replacements()
    assert any(p.repealed == "个体工商户条例" and p.replaced_by == "促进个体工商户发展条例" for p in pairs)
    assert all(p.basis for p in pairs)
