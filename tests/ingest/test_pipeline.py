from assistant.retrieval import SearchFilters
from tests.lawfiles import write_law

PAY_2020 = ["第一条 为了保障中小企业款项支付，制定本条例。", "第二条 机关应当自货物验收之日起三十日内支付款项。"]
PAY_2025 = ["第一条 为了保障中小企业款项支付，制定本条例。", "第二条 机关应当自货物验收之日起三十日内支付款项。",
            "第三条 大型企业应当自货物验收之日起六十日内支付款项。"]
LEAVE = ["第一条 职工连续工作1年以上的，享受带薪年休假。", "第二条 职工累计工作已满10年不满20年的，年休假10天。"]


def _corpus(root):
    write_law(root / "行政法规", "示例款项支付条例", "2020-07-05", PAY_2020)
    write_law(root / "行政法规", "示例款项支付条例", "2025-03-17", PAY_2025)
    write_law(root / "行政法规", "示例年休假条例", "2007-12-14", LEAVE)
    (root / "bad.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (root / "empty.md").write_text("", encoding="utf-8")
    return root


def test_ingest_reports_bad_files_and_keeps_the_rest(tmp_path, components):
    root = _corpus(tmp_path / "src")
    report = components.ingester().run([root, tmp_path / "missing-dir"])
    assert report.count("added") == 3
    failed = {o.source: o.error for o in report.failed}
    assert set(failed) == {"bad.txt", "empty.md", str(tmp_path / "missing-dir")}
    assert all(failed.values())
    snap = components.index.snapshot()
    assert len(snap) == 7
    assert sorted(components.index.vectors.ids()) == sorted(c.id for c in snap.chunks)


def test_versions_newest_in_force_and_search_filters(tmp_path, components):
    root = _corpus(tmp_path / "src")
    components.ingester().run([root])
    status = {f.source: f.status for f in components.index.manifest.files()}
    assert status["行政法规/示例款项支付条例(2020-07-05).md"] == "superseded"
    assert status["行政法规/示例款项支付条例(2025-03-17).md"] == "in_force"
    hits = components.retriever.run("大型企业多少天内付款", k=10).hits
    assert hits and all(h.chunk.status == "in_force" for h in hits)
    assert hits[0].chunk.article == "第三条"
    every = components.retriever.run("货物验收之日起三十日内支付", k=10, filters=SearchFilters(in_force_only=False)).hits
    assert {h.chunk.version_date for h in every} >= {"2020-07-05", "2025-03-17"}


def test_reingest_skips_unchanged_and_replaces_changed_file_whole(tmp_path, components):
    root = _corpus(tmp_path / "src")
    ing = components.ingester()
    ing.run([root])
    before = {c.id for c in components.index.snapshot().chunks}
    again = ing.run([root])
    assert again.count("unchanged") == 3 and again.embedded == 0
    assert {c.id for c in components.index.snapshot().chunks} == before

    leave = root / "行政法规" / "示例年休假条例(2007-12-14).md"
    write_law(root / "行政法规", "示例年休假条例", "2007-12-14", LEAVE[:1] + ["第二条 职工累计工作已满10年的，年休假12天。"])
    changed = ing.run([root])
    assert changed.count("updated") == 1
    chunks = [c for c in components.index.snapshot().chunks if c.source.endswith(leave.name)]
    assert len(chunks) == 2 and "12天" in chunks[1].text
    assert not any("10天" in c.text for c in chunks)
    live = {c.id for c in components.index.snapshot().chunks}
    assert set(components.index.vectors.ids()) == live  # the old version's vectors are gone


def test_prune_forgets_deleted_files_and_orphans_are_dropped(tmp_path, components):
    root = _corpus(tmp_path / "src")
    ing = components.ingester()
    ing.run([root])
    # A vector no manifest lists (as left by an ingest killed before its commit point).
    snap = components.index.snapshot()
    orphan = snap.chunks[0]
    orphan_copy = type(orphan)(**{**orphan.__dict__, "id": "orphan.0"})
    components.index.vectors.upsert([orphan_copy], components.embedder.embed_passages([orphan.embed_text]))
    (root / "行政法规" / "示例年休假条例(2007-12-14).md").unlink()
    report = ing.run([root], prune=True)
    assert report.count("removed") == 1
    ids = set(components.index.vectors.ids())
    assert "orphan.0" not in ids
    assert not any("年休假" in c.title for c in components.index.snapshot().chunks)
