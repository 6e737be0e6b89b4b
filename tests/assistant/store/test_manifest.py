from assistant.documents import Chunk
from assistant.store.manifest import FileEntry, Manifest


def _chunk(cid: str, source: str = "a.md", pos: int = 0) -> Chunk:
    return Chunk(id=cid, text=f"text {cid}", embed_text=f"T text {cid}", source=source, title="T",
                 doc_type="law", position=pos, article=f"第{pos + 1}条")


def test_replace_file_switches_chunks_and_reports_stale_ids(tmp_path):
    m = Manifest(tmp_path / "m.sqlite3")
    entry = FileEntry("a.md", "h1", "T", "2020-01-01", "law", "in_force", 2)
    assert m.replace_file(entry, "T", None, [_chunk("x.1"), _chunk("y.1", pos=1)], [["a"], ["b"]]) == []
    gen = m.generation()
    entry2 = FileEntry("a.md", "h2", "T", "2021-01-01", "law", "in_force", 1)
    stale = m.replace_file(entry2, "T", None, [_chunk("x.2")], [["c"]])
    assert stale == ["x.1", "y.1"]
    assert m.generation() == gen + 1
    chunks, tokens = m.live_chunks()
    assert [c.id for c in chunks] == ["x.2"] and tokens == [["c"]]
    assert m.file("a.md").file_hash == "h2"


def test_set_status_updates_chunks_and_remove_file(tmp_path):
    m = Manifest(tmp_path / "m.sqlite3")
    m.replace_file(FileEntry("a.md", "h", "T", None, "law", "in_force", 1), "T", None, [_chunk("x")], [["a"]])
    assert m.set_status("a.md", "superseded") == ["x"]
    assert m.set_status("a.md", "superseded") == []  # no change, nothing reported
    assert m.live_chunks()[0][0].status == "superseded"
    assert m.remove_file("a.md") == ["x"]
    assert m.sources() == [] and m.live_chunks() == ([], [])
