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


def test_superseded_articles_are_packaged_and_a_deployment_adds_its_own(tmp_path):
    from ingest.versions import load_superseded_articles

    packaged = load_superseded_articles()
    assert any(a.document == "市场主体登记管理条例实施细则" and a.article == "第三十八条" for a in packaged)
    assert all(a.by and a.basis for a in packaged)
    extra = tmp_path / "mine.yaml"
    extra.write_text("superseded_articles:\n  - {document: 示例办法, article: 第五条, by: 示例条例, by_article: 第九条}\n",
                     encoding="utf-8")
    assert len(load_superseded_articles(extra)) == len(packaged) + 1
