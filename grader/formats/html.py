"""The cohort report: one self-contained HTML file for the instructor.

``render(report)`` shows a grader report of any number of submissions: the score
distribution, each exercise's and each test's pass rate, the mistakes most learners
made (the kit's diagnoses) and one row per learner with their failures. The numbers
come from :func:`grader.grading.cohort.summary`, which the page also embeds as JSON
(``<script type="application/json" id="cohort-data">``) for other tools.

The page loads nothing: no script, no external style sheet, font or image; the charts
are inline SVG, and a Content-Security-Policy forbids any fetch. Every text of the
report (learners' names, test names, messages: a learner's code writes them) is
cleaned of control characters and escaped with :func:`html.escape`.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping

from ..catalog import BY_NAME
from ..grading.cohort import summary as cohort_summary
from ._common import clean, fix_surrogates, fmt

TESTS_SHOWN = 10  # failing tests listed per module of a learner, the rest counted
OPEN_UP_TO = 30  # a cohort this small shows every learner's failures unfolded

_CSS = """
:root { --ok: #2e7d32; --mid: #f9a825; --bad: #c62828; --ink: #1d2330; --mute: #5f6b7a;
  --line: #dde3ea; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
  "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--ink); background: #fff; }
header { padding: 20px 32px 12px; background: var(--bg); border-bottom: 1px solid var(--line); }
h1 { margin: 0 0 4px; font-size: 22px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
main { padding: 0 32px 40px; max-width: 1400px; }
.lead { font-size: 16px; margin: 4px 0; }
.meta, .note { color: var(--mute); font-size: 12.5px; margin: 2px 0; }
nav a { margin-right: 14px; color: #0b57d0; text-decoration: none; }
table { border-collapse: collapse; margin: 6px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left;
  vertical-align: top; }
th { background: var(--bg); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.cell { text-align: center; font-variant-numeric: tabular-nums; white-space: nowrap; }
.ok { background: #e3f4e4; } .mid { background: #fff4d6; } .bad { background: #fbe3e3; }
.none { color: var(--mute); }
code, .name { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: 12.5px; }
.name { overflow-wrap: anywhere; }
.wide { overflow-x: auto; }
details summary { cursor: pointer; color: var(--mute); }
ul.failures { margin: 4px 0 0; padding-left: 18px; }
ul.failures li { margin: 2px 0; }
.msg { color: var(--mute); white-space: pre-wrap; overflow-wrap: anywhere; }
.diag { color: var(--bad); }
svg text { font: 11px system-ui, sans-serif; fill: var(--ink); }
"""


def _e(value) -> str:
    """Text of the report, safe in HTML text and attribute values."""
    return html.escape(clean(value, limit=1000), quote=True)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _level(fraction: float) -> str:
    return "ok" if fraction >= 0.8 else "mid" if fraction >= 0.5 else "bad"


def _colour(fraction: float) -> str:
    return {"ok": "#2e7d32", "mid": "#f9a825", "bad": "#c62828"}[_level(fraction)]


def _module_label(module: str) -> str:
    ex = BY_NAME.get(module)
    return ex.folder if ex else module


def _histogram(bins: list[dict], n: int) -> str:
    width, height, left, bottom, top = 660, 230, 36, 34, 18
    plot_w, plot_h = width - left - 10, height - bottom - top
    peak = max((b["count"] for b in bins), default=0) or 1
    bar_w = plot_w / len(bins)
    parts = [
        f'<svg id="histogram" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>Score distribution of {n} submissions</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#8a96a3"/>',
    ]
    for i, b in enumerate(bins):
        h = plot_h * b["count"] / peak
        x = left + i * bar_w
        y = top + plot_h - h
        mid = (b["from"] + b["to"]) / 200
        last = i == len(bins) - 1
        label = f"{fmt(b['from'])}–{fmt(b['to'])}%"
        parts.append(
            f'<g class="bin" data-from="{fmt(b["from"])}" data-to="{fmt(b["to"])}" '
            f'data-count="{b["count"]}">'
            f"<title>{b['count']} with {label} of the points{' (inclusive)' if last else ''}"
            "</title>"
            f'<rect x="{x + 3:.1f}" y="{y:.1f}" width="{bar_w - 6:.1f}" height="{h:.1f}" '
            f'fill="{_colour(mid)}" opacity="0.85"/>'
            f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">'
            f"{b['count']}</text>"
            f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
            f"{label}</text></g>"
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 2}" text-anchor="middle">'
        "share of the maximum score</text></svg>"
    )
    return "".join(parts)


def _exercise_chart(modules: list[dict]) -> str:
    row_h, label_w, bar_w = 24, 130, 420
    height = row_h * len(modules) + 10
    width = label_w + bar_w + 190
    parts = [
        f'<svg id="exercise-chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        "<title>Mean score and completion of each exercise</title>",
    ]
    for i, m in enumerate(modules):
        y = 5 + i * row_h
        share = m["mean"] / m["max_score"] if m["max_score"] else 0.0
        parts.append(
            f'<g class="exercise" data-module="{_e(m["module"])}">'
            f'<text x="0" y="{y + 15}">{_e(_module_label(m["module"]))}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="15" fill="#edf0f3"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w * share:.1f}" height="15" '
            f'fill="{_colour(share)}" opacity="0.85"/>'
            f'<text x="{label_w + bar_w + 8}" y="{y + 15}">mean {fmt(m["mean"])} / '
            f"{fmt(m['max_score'])} · {m['passed']}/{m['of']} complete</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _bar(fraction: float) -> str:
    w = 120
    return (
        f'<svg width="{w}" height="10" viewBox="0 0 {w} 10" xmlns="http://www.w3.org/2000/svg">'
        f'<rect width="{w}" height="10" fill="#edf0f3"/>'
        f'<rect width="{w * fraction:.1f}" height="10" fill="{_colour(fraction)}"/></svg>'
    )


def _exercises_table(modules: list[dict]) -> str:
    rows = [
        "<table><thead><tr><th>exercise</th><th class=num>mean</th><th class=num>max</th>"
        "<th class=num>complete</th><th class=num>share</th></tr></thead><tbody>"
    ]
    for m in modules:
        rows.append(
            f'<tr class="module" data-module="{_e(m["module"])}" data-mean="{fmt(m["mean"])}" '
            f'data-passed="{m["passed"]}" data-of="{m["of"]}">'
            f'<td class="name">{_e(_module_label(m["module"]))}</td>'
            f'<td class="num">{fmt(m["mean"])}</td><td class="num">{fmt(m["max_score"])}</td>'
            f'<td class="num">{m["passed"]} / {m["of"]}</td>'
            f'<td class="num">{_pct(m["rate"])}</td></tr>'
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def _diagnoses_table(diagnoses: list[dict], n: int) -> str:
    if not diagnoses:
        return '<p class="note">No failure carried a diagnosis.</p>'
    rows = [
        "<table><thead><tr><th class=num>learners</th><th class=num>share</th>"
        "<th>exercise</th><th>diagnosis</th><th>tests</th></tr></thead><tbody>"
    ]
    for d in diagnoses:
        tests = ", ".join(f"<code>{_e(t)}</code>" for t in d["tests"])
        rows.append(
            f'<tr class="diagnosis" data-module="{_e(d["module"])}" '
            f'data-learners="{d["learners"]}">'
            f'<td class="num">{d["learners"]}</td>'
            f'<td class="num">{_pct(d["learners"] / n) if n else "–"}</td>'
            f'<td class="name">{_e(_module_label(d["module"]))}</td>'
            f"<td>{_e(d['diagnosis'])}</td><td>{tests}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def _tests_table(tests: list[dict]) -> str:
    if not tests:
        return '<p class="note">No tests.</p>'
    ordered = sorted(tests, key=lambda t: (t["rate"], t["module"], t["name"]))
    rows = [
        "<table><thead><tr><th>exercise</th><th>test</th><th class=num>passed</th>"
        "<th class=num>rate</th><th></th></tr></thead><tbody>"
    ]
    for t in ordered:
        rows.append(
            f'<tr class="test" data-module="{_e(t["module"])}" data-test="{_e(t["name"])}" '
            f'data-passed="{t["passed"]}" data-of="{t["of"]}">'
            f'<td class="name">{_e(_module_label(t["module"]))}</td>'
            f'<td class="name">{_e(t["name"])}</td>'
            f'<td class="num">{t["passed"]} / {t["of"]}</td>'
            f'<td class="num">{_pct(t["rate"])}</td><td>{_bar(t["rate"])}</td></tr>'
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def _failures(learner: dict, open_: bool) -> str:
    if not learner["failures"]:
        return '<span class="none">none</span>'
    items = []
    for f in learner["failures"]:
        head = (
            f"<b>{_e(_module_label(f['module']))}</b> {fmt(f['score'])}/{fmt(f['max_score'])} "
            f"{_e(f['status'])}"
        )
        tests = f["tests"]
        if f["not_written"]:
            n = len(tests)
            items.append(f"<li>{head}: not written yet ({n} test{'s' if n != 1 else ''})</li>")
            continue
        if not tests:
            items.append(f'<li>{head}: <span class="msg">{_e(f["message"])}</span></li>')
            continue
        lines = []
        for t in tests[:TESTS_SHOWN]:
            said = (
                f'<span class="diag">diagnosis: {_e(t["diagnosis"])}</span>'
                if t["diagnosis"]
                else f'<span class="msg">{_e(t["message"])}</span>'
            )
            lines.append(f"<li><code>{_e(t['test'])}</code> {_e(t['status'])}: {said}</li>")
        if len(tests) > TESTS_SHOWN:
            lines.append(f"<li>and {len(tests) - TESTS_SHOWN} more</li>")
        items.append(f'<li>{head}<ul class="failures">{"".join(lines)}</ul></li>')
    count = learner["failed_tests"]
    label = f"{count} failing test{'s' if count != 1 else ''}" if count else "see modules"
    shown = " open" if open_ else ""
    return (
        f'<details{shown}><summary>{label}</summary><ul class="failures">{"".join(items)}</ul>'
        "</details>"
    )


def _learners_table(learners: list[dict], modules: list[str]) -> str:
    if not learners:
        return '<p class="note">No submissions.</p>'
    head = "".join(f"<th class=num>{_e(_module_label(m))}</th>" for m in modules)
    rows = [
        "<table><thead><tr><th>learner</th><th class=num>score</th><th class=num>%</th>"
        f"{head}<th>failures</th></tr></thead><tbody>"
    ]
    for s in learners:
        cells = []
        for m in modules:
            got = s["modules"].get(m)
            if got is None:
                cells.append('<td class="cell none">–</td>')
                continue
            score, top = got
            level = _level(score / top) if top else "none"
            cells.append(f'<td class="cell {level}">{fmt(score)}/{fmt(top)}</td>')
        rows.append(
            f'<tr class="learner" data-score="{fmt(s["score"])}" '
            f'data-max-score="{fmt(s["max_score"])}">'
            f'<td class="name">{_e(s["submission"])}</td>'
            f'<td class="num">{fmt(s["score"])} / {fmt(s["max_score"])}</td>'
            f'<td class="num">{fmt(s["percent"])}</td>{"".join(cells)}'
            f"<td>{_failures(s, len(learners) <= OPEN_UP_TO)}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def _data_block(data: dict) -> str:
    """JSON inside <script type="application/json">: no "<", ">" or "&" that could end it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/json" id="cohort-data">{text}</script>'


def _meta(grader: Mapping) -> str:
    keys = ("version", "torch", "hypothesis_profile", "seed", "timeout", "merged_from")
    parts = [f"{k.replace('_', ' ')} {_e(grader[k])}" for k in keys if k in grader]
    return " · ".join(["grader"] + parts) if parts else ""


def render(report: Mapping) -> str:
    report = fix_surrogates(report)
    data = cohort_summary(report)
    n = data["submissions"]
    modules = [m["module"] for m in data["modules"]]
    grader = report.get("grader") if isinstance(report.get("grader"), Mapping) else {}
    embedded = {
        **{k: v for k, v in data.items() if k != "learners"},
        "learners": [
            {k: s[k] for k in ("submission", "score", "max_score", "percent", "failed_tests")}
            for s in data["learners"]
        ],
    }
    body = [
        "<header><h1>Cohort report</h1>",
        f'<p class="lead"><span data-stat="submissions">{n}</span> '
        f"submission{'s' if n != 1 else ''} · mean "
        f'<span data-stat="mean">{fmt(data["mean"])}</span> · median '
        f'<span data-stat="median">{fmt(data["median"])}</span> of '
        f'<span data-stat="max_score">{fmt(data["max_score"])}</span> points</p>',
        f'<p class="meta">{_meta(grader)}</p>',
        '<nav><a href="#distribution">distribution</a><a href="#exercises">exercises</a>'
        '<a href="#diagnoses">mistakes</a><a href="#tests">tests</a>'
        '<a href="#learners">learners</a></nav></header><main>',
        '<section id="distribution"><h2>Score distribution</h2>',
        _histogram(data["histogram"], n),
        "</section>",
        '<section id="exercises"><h2>Exercises</h2>',
        '<p class="note">Complete: every test of the exercise passed.</p>',
        _exercise_chart(data["modules"]) if data["modules"] else "",
        _exercises_table(data["modules"]),
        "</section>",
        '<section id="diagnoses"><h2>Most frequent mistakes</h2>',
        '<p class="note">The diagnoses the kit gave for failing tests: how many learners '
        "made each mistake.</p>",
        _diagnoses_table(data["diagnoses"], n),
        "</section>",
        '<section id="tests"><h2>Tests, lowest pass rate first</h2>',
        _tests_table(data["tests"]),
        "</section>",
        '<section id="learners"><h2>Learners</h2><div class="wide">',
        _learners_table(data["learners"], modules),
        "</div>",
        "</section></main>",
        _data_block(embedded),
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Cohort report: {n} submission{'s' if n != 1 else ''}</title>"
        f"<style>{_CSS}</style></head><body>" + "".join(body) + "</body></html>\n"
    )
