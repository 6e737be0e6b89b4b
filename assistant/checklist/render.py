"""Checklists as Markdown and as a printable HTML page."""

from __future__ import annotations

from html import escape

from assistant.checklist.checklist import Checklist, MatterItem


def _material_line(name: str, form: str | None, copies: int | None, note: str | None) -> str:
    extra = [x for x in (form, f"{copies}份" if copies else None, note) if x]
    return name + (f"（{'；'.join(extra)}）" if extra else "")


def _facts(m: MatterItem) -> list[tuple[str, str]]:
    g = m.guide
    rows = [
        ("办理部门", g.department),
        ("事项类型", g.matter_type or ""),
        ("法定时限", g.legal_time_limit or "未载明"),
        ("承诺时限", g.promised_time_limit or "未载明"),
        ("办理地点", g.location or ""),
        ("收费", g.fees or ""),
        ("受理条件", g.conditions or ""),
        ("设定依据", "；".join(g.basis)),
    ]
    return [(k, v) for k, v in rows if v]


def to_markdown(c: Checklist) -> str:
    """The checklist as Markdown: question (if any), matters with their facts, merged materials, route."""
    lines = ["# 办事清单", "", f"> {c.request}", ""]
    if c.clarification:
        lines += ["## 需要确认", "", c.clarification.question, ""]
        lines += [f"- {x['name']}（{x['department']}）" for x in c.clarification.candidates] + [""]
    index = {m.guide.id: n for n, m in enumerate(c.matters, 1)}
    for n, m in enumerate(c.matters, 1):
        lines += [f"## 事项{n}：{m.guide.title}", ""]
        lines += [f"- **{k}**：{v}" for k, v in _facts(m)]
        lines += ["", "**申请材料**：", ""]
        lines += [f"- [ ] {_material_line(x.name, x.form, x.copies, x.note)}" for x in m.guide.materials] or ["- 指南未列出材料"]
        cite = m.citation
        lines += ["", f"来源：{cite.title}" + (f" <{cite.url}>" if cite.url else ""), ""]
    if len(c.matters) > 1:
        lines += ["## 合并材料清单（一件事一次办，共用材料只列一次）", ""]
        for x in c.materials:
            used = "、".join(f"事项{index[i]}" for i in x.matters if i in index)
            lines.append(f"- [ ] {_material_line(x.name, x.form, x.copies, x.note)} — {used}")
        lines += ["", "## 办理顺序", ""]
        for k, d in enumerate(c.departments, 1):
            names = "、".join(f"事项{index[i]}" for i in d["matters"] if i in index)
            lines.append(f"{k}. {d['department']}：{names}")
        lines.append("")
    return "\n".join(lines)


_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:820px;margin:2em auto;line-height:1.6;color:#222}
h1{font-size:1.5em;border-bottom:2px solid #333}h2{font-size:1.15em;margin-top:1.6em}
blockquote{color:#555;border-left:4px solid #ccc;margin:0;padding-left:1em}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top}
th{width:7em;background:#f3f3f3}.ask{background:#fff6d6;padding:.5em 1em;border:1px solid #e0c050}
ul.check{list-style:none;padding-left:0}ul.check li::before{content:"\\2610  "}.src{font-size:.85em;color:#666}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}section{page-break-inside:avoid}a{color:inherit}}
"""


def to_html(c: Checklist) -> str:
    """A self-contained printable HTML page (checkboxes, no scripts, print styles)."""
    e = escape
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>办事清单</title>",
        f"<style>{_CSS}</style></head><body><h1>办事清单</h1><blockquote>{e(c.request)}</blockquote>",
    ]
    if c.clarification:
        cands = "".join(f"<li>{e(x['name'])}（{e(x['department'])}）</li>" for x in c.clarification.candidates)
        parts.append(f"<div class='ask'><strong>需要确认：</strong>{e(c.clarification.question)}<ul>{cands}</ul></div>")
    index = {m.guide.id: n for n, m in enumerate(c.matters, 1)}
    for n, m in enumerate(c.matters, 1):
        rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in _facts(m))
        mats = "".join(f"<li>{e(_material_line(x.name, x.form, x.copies, x.note))}</li>" for x in m.guide.materials)
        cite = m.citation
        link = f" <a href='{e(cite.url)}'>{e(cite.url)}</a>" if cite.url else ""
        parts.append(
            f"<section><h2>事项{n}：{e(m.guide.title)}</h2><table>{rows}</table>"
            f"<h3>申请材料</h3><ul class='check'>{mats or '<li>指南未列出材料</li>'}</ul>"
            f"<p class='src'>来源：{e(cite.title)}{link}</p></section>"
        )
    if len(c.matters) > 1:
        mats = "".join(
            f"<li>{e(_material_line(x.name, x.form, x.copies, x.note))} — "
            f"{e('、'.join(f'事项{index[i]}' for i in x.matters if i in index))}</li>"
            for x in c.materials
        )
        route = "".join(
            f"<li>{e(d['department'])}：{e('、'.join(f'事项{index[i]}' for i in d['matters'] if i in index))}</li>"
            for d in c.departments
        )
        parts.append(f"<section><h2>合并材料清单（共用材料只列一次）</h2><ul class='check'>{mats}</ul>")
        parts.append(f"<h2>办理顺序</h2><ol>{route}</ol></section>")
    parts.append("</body></html>")
    return "".join(parts)
