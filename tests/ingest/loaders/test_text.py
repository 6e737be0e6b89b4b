"""Plain .txt files."""

from __future__ import annotations

from pathlib import Path

from ingest.loaders import text


def test_gbk_text_file(tmp_path: Path) -> None:
    path = tmp_path / "通知" / "关于做好稳岗工作的通知(2023-05-04).txt"
    path.parent.mkdir()
    path.write_bytes("关于做好稳岗工作的通知\r\n\r\n各区县：\r\n现将有关事项通知如下。\r\n".encode("gbk"))
    (doc,) = text.load(path, tmp_path)
    assert doc.source == "通知/关于做好稳岗工作的通知(2023-05-04).txt"
    assert doc.title == "关于做好稳岗工作的通知"
    assert doc.version_date == "2023-05-04"
    assert doc.doc_type == "text"
    assert doc.text == "关于做好稳岗工作的通知\n\n各区县：\n现将有关事项通知如下。"
    assert doc.meta["encoding"] == "gb18030"


def test_utf8_bom_text_file(tmp_path: Path) -> None:
    path = tmp_path / "readme.txt"
    path.write_bytes("\ufeff惠企政策问答".encode("utf-8"))
    (doc,) = text.load(path, tmp_path)
    assert doc.text == "惠企政策问答"
    assert doc.version_date is None
