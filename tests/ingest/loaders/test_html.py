"""HTML pages: visible text, headings as Markdown lines, menus and scripts dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import LoadError
from ingest.loaders import html

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>关于支持中小企业的若干措施_某市人民政府门户网站</title>
<style>body {{ color: red }}</style><script>var menu = "导航脚本";</script></head>
<body>
<nav><a href="/">首页</a><a href="/zc">政策文件</a></nav>
<div class="article">
  <h1>关于支持中小企业的若干措施</h1>
  <!-- 注释不是正文 -->
  <h2>一、减轻负担</h2>
  <p>对符合条件的小微企业，
     减半征收有关费用。</p>
  <p>联系电话：<b>12345</b><br>受理时间：工作日</p>
  <table><tr><th>事项</th><th>时限</th></tr><tr><td>补贴申请</td><td>10个工作日</td></tr></table>
  <ul><li>第一项</li><li>第二项</li></ul>
</div>
<footer>版权所有 网站标识码</footer>
<script>track();</script>
</body></html>
"""


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_page_text_and_structure(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.format(charset=encoding).encode(encoding))
    (doc,) = html.load(path, tmp_path)
    assert doc.title == "关于支持中小企业的若干措施"
    assert doc.doc_type == "text"
    assert doc.text.split("\n\n") == [
        "# 关于支持中小企业的若干措施",
        "## 一、减轻负担",
        "对符合条件的小微企业，减半征收有关费用。",
        "联系电话：12345",
        "受理时间：工作日",
        "事项 | 时限",
        "补贴申请 | 10个工作日",
        "第一项",
        "第二项",
    ]
    for gone in ("导航脚本", "首页", "color", "注释", "版权所有", "track"):
        assert gone not in doc.text


def test_title_falls_back_to_h1_then_file_name(tmp_path: Path) -> None:
    path = tmp_path / "办事指南.htm"
    path.write_text("<html><body><h1>企业开办指南</h1><p>正文</p></body></html>", encoding="utf-8")
    assert html.load(path, tmp_path)[0].title == "企业开办指南"
    path.write_text("<html><body><p>只有正文</p></body></html>", encoding="utf-8")
    assert html.load(path, tmp_path)[0].title == "办事指南"


def test_page_without_visible_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text(
        "<html><head><script>x()</script></head><body><nav>菜单</nav></body></html>", encoding="utf-8"
    )
    with pytest.raises(LoadError) as err:
        html.load(path, tmp_path)
    assert err.value.reason == "HTML page has no visible text"
