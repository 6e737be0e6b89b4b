"""Common-issue report (举一反三): cluster a batch of triaged appeals by similarity; Markdown and HTML with an inline SVG chart."""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from assistant.tokenizer import Tokenizer
from assistant.triage.lexical import TRIAGE_TERMS
from assistant.triage.text import normalise
from assistant.triage.triager import TriageResult


@dataclass
class IssueCluster:
    """A group of similar appeals: how many, who handles them, typical wording and top terms."""

    size: int
    department: str
    department_name: str
    types: dict[str, int]
    representatives: list[str]
    terms: list[str]
    members: list[int]


def cluster_appeals(results: list[TriageResult], tokenizer: Tokenizer | None = None, distance: float = 0.85,
                    representatives: int = 3, top_terms: int = 6) -> list[IssueCluster]:
    """Clusters of similar appeals, largest first (average-linkage on word TF-IDF, cosine ``distance`` cut)."""
    if not results:
        return []
    tokenizer = tokenizer or Tokenizer(user_dict=TRIAGE_TERMS)
    texts = [normalise(r.masked_text) for r in results]
    vec = TfidfVectorizer(tokenizer=tokenizer, lowercase=False, token_pattern=None, sublinear_tf=True)
    x = vec.fit_transform(texts)
    # The routed department is part of the issue: two appeals about 拖欠 to different departments differ.
    dept_ids = sorted({r.departments[0].id for r in results})
    onehot = np.zeros((len(results), len(dept_ids)))
    for i, r in enumerate(results):
        onehot[i, dept_ids.index(r.departments[0].id)] = 1.0
    dense = np.hstack([x.toarray(), 0.5 * onehot])
    dense /= np.maximum(np.linalg.norm(dense, axis=1, keepdims=True), 1e-12)
    if len(results) == 1:
        labels = np.zeros(1, dtype=int)
    else:
        labels = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                         distance_threshold=distance).fit_predict(dense)
    vocab = np.array(vec.get_feature_names_out())
    clusters = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        centroid = dense[members].mean(axis=0)
        closeness = dense[members] @ centroid
        reps = [results[members[j]].masked_text for j in np.argsort(-closeness)[:representatives]]
        weights = np.asarray(x[members].mean(axis=0)).ravel()
        terms = [str(vocab[j]) for j in np.argsort(-weights)[:top_terms] if weights[j] > 0]
        dept = Counter(results[m].departments[0].id for m in members).most_common(1)[0][0]
        name = next(r.departments[0].name for r in results if r.departments[0].id == dept)
        clusters.append(IssueCluster(
            size=len(members), department=dept, department_name=name,
            types=dict(Counter(results[m].type for m in members).most_common()),
            representatives=reps, terms=terms, members=[int(m) for m in members],
        ))
    clusters.sort(key=lambda c: (-c.size, c.department))
    return clusters


def render_markdown(clusters: list[IssueCluster], total: int, title: str = "涉企诉求共性问题报告") -> str:
    """The report as Markdown: one section per cluster of two or more appeals, then a table of singletons."""
    lines = [f"# {title}", "", f"共 {total} 件诉求，归为 {len(clusters)} 类。", ""]
    lines += ["| # | 件数 | 承办部门 | 类型 | 高频词 |", "|---|---|---|---|---|"]
    for n, c in enumerate(clusters, 1):
        types = "、".join(f"{t}{k}" for t, k in c.types.items())
        lines.append(f"| {n} | {c.size} | {c.department_name} | {types} | {'、'.join(c.terms)} |")
    for n, c in enumerate(clusters, 1):
        if c.size < 2:
            continue
        lines += ["", f"## {n}. {c.department_name}：{'、'.join(c.terms[:3])}（{c.size} 件）", ""]
        lines += [f"- {r}" for r in c.representatives]
    return "\n".join(lines) + "\n"


def _svg_chart(clusters: list[IssueCluster], limit: int = 15) -> str:
    shown = clusters[:limit]
    if not shown:
        return ""
    bar_h, gap, label_w, width = 22, 6, 260, 720
    height = len(shown) * (bar_h + gap) + 10
    top = max(c.size for c in shown)
    rows = []
    for i, c in enumerate(shown):
        y = 5 + i * (bar_h + gap)
        w = max(2, int((width - label_w - 50) * c.size / top))
        label = html.escape(f"{c.department_name}·{'、'.join(c.terms[:2])}")
        rows.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" font-size="13">{label}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="#3b6ea5"/>'
            f'<text x="{label_w + w + 6}" y="{y + 16}" font-size="13">{c.size}</text>'
        )
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
            f'aria-label="各类诉求件数">{"".join(rows)}</svg>')


def render_html(clusters: list[IssueCluster], total: int, title: str = "涉企诉求共性问题报告") -> str:
    """The report as one self-contained HTML page (inline SVG bar chart, no scripts)."""
    esc = html.escape
    parts = [
        "<!doctype html>", '<html lang="zh-CN"><head><meta charset="utf-8">', f"<title>{esc(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}"
        "li{margin:.3em 0}</style></head><body>",
        f"<h1>{esc(title)}</h1>", f"<p>共 {total} 件诉求，归为 {len(clusters)} 类。</p>", _svg_chart(clusters),
        "<table><tr><th>#</th><th>件数</th><th>承办部门</th><th>类型</th><th>高频词</th></tr>",
    ]
    for n, c in enumerate(clusters, 1):
        types = "、".join(f"{t}{k}" for t, k in c.types.items())
        parts.append(f"<tr><td>{n}</td><td>{c.size}</td><td>{esc(c.department_name)}</td><td>{esc(types)}</td>"
                     f"<td>{esc('、'.join(c.terms))}</td></tr>")
    parts.append("</table>")
    for n, c in enumerate(clusters, 1):
        if c.size < 2:
            continue
        parts.append(f"<h2>{n}. {esc(c.department_name)}：{esc('、'.join(c.terms[:3]))}（{c.size} 件）</h2><ul>")
        parts += [f"<li>{esc(r)}</li>" for r in c.representatives]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
