"""The audit and a metric's comparison as self-contained HTML files: tables, and charts drawn here as inline SVG.

A provincial office circulates the file by e-mail or prints it; nothing in it loads from a network,
so the charts are rendered by matplotlib at write time rather than by a JavaScript library.
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import jinja2

from vnplans.pipeline.audit import Audit
from vnplans.pipeline.compare import Comparison
from vnplans.pipeline.files import atomic

# colours that stay apart in print and for the common colour-vision deficiencies (Okabe-Ito)
COLOURS = {"good": "#009E73", "warn": "#E69F00", "bad": "#D55E00", "none": "#999999", "info": "#0072B2",
           "alt": "#56B4E9"}


NO_PROVINCE = "(không thuộc tỉnh · national plan)"


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def _figure(rows: int):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "font.size": 10, "axes.spines.top": False,
                         "axes.spines.right": False,
                         "text.parse_math": False})  # "$...^$" in an agency name is text, not TeX
    fig, ax = plt.subplots(figsize=(8, 0.45 * rows + 1.1))
    return plt, fig, ax


def _stacked(labels: list[str], series: list[tuple[str, str, list[int]]], xlabel: str) -> str:
    """Horizontal stacked bars, one per label; series = (name, colour, values)."""
    plt, fig, ax = _figure(len(labels))
    left = [0] * len(labels)
    y = list(range(len(labels)))
    widest = max([sum(v) for v in zip(*(values for _n, _c, values in series))] or [1]) or 1
    for name, colour, values in series:
        bars = ax.barh(y, values, left=left, color=colour, label=name)
        for bar, v in zip(bars, values):
            if v and v >= 0.04 * widest:  # a number that fits in its segment
                ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, str(v),
                        ha="center", va="center", color="white", fontsize=8)
        left = [a + b for a, b in zip(left, values)]
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    svg = _svg(fig)
    plt.close(fig)
    return svg


def _plan_label(p) -> str:
    return f"{p.doc_number or '(no number)'} · {p.province or '?'} · {(p.plan_date or '')[:7]}"


def charts(a: Audit) -> dict[str, str]:
    labels = [_plan_label(p) for p in a.plans]
    out = {}
    if a.plans:
        out["leads"] = _stacked(labels, [
            ("một đơn vị chủ trì · one lead", COLOURS["good"],
             [p.items - len(p.no_lead) - len(p.collective_lead) - len(p.several_leads) for p in a.plans]),
            ("nhiều đơn vị chủ trì · several leads", COLOURS["warn"], [len(p.several_leads) for p in a.plans]),
            ("chỉ giao chung chung · collective lead only", COLOURS["alt"], [len(p.collective_lead) for p in a.plans]),
            ("chưa có chủ trì · no lead", COLOURS["bad"], [len(p.no_lead) for p in a.plans]),
        ], "nhiệm vụ (dòng bảng, nhiệm vụ trong văn bản) · items (table rows and prose tasks)")
        out["deadlines"] = _stacked(labels, [
            (f"hạn sau {a.as_of} · due after", COLOURS["info"],
             [p.items - len(p.no_deadline) - len(p.vague_deadline) - len(p.past_deadline) for p in a.plans]),
            (f"đã quá hạn tại {a.as_of} · passed", COLOURS["none"], [len(p.past_deadline) for p in a.plans]),
            ("thời hạn không rõ · vague", COLOURS["warn"], [len(p.vague_deadline) for p in a.plans]),
            ("không có thời hạn · none", COLOURS["bad"], [len(p.no_deadline) for p in a.plans]),
        ], "nhiệm vụ · items")
    top = [x for x in a.loads if x.led or x.coordinated][:15]
    if top:
        out["load"] = _stacked([x.name if len(x.name) <= 45 else x.name[:44] + "…" for x in top], [
            ("chủ trì · leads", COLOURS["info"], [x.led for x in top]),
            ("phối hợp · coordinates", COLOURS["alt"], [x.coordinated for x in top]),
            ("theo dõi · monitors", COLOURS["none"], [x.monitored for x in top]),
        ], "lượt được giao · assignments")
    return out


def _coverage_table(a: Audit) -> tuple[list[tuple[str, str]], list[dict]]:
    """Pillars as columns, plans with a catalog in force as rows: assigned/total per pillar."""
    pillars: dict[str, str] = {}
    rows = []
    for p in a.plans:
        c = p.coverage
        if c.catalog is None or not c.covered:
            continue
        cells = {}
        for pillar in c.pillars:
            pillars.setdefault(pillar["code"], pillar["name"])
            cells[pillar["code"]] = {"done": pillar["covered"], "total": pillar["total"],
                                     "share": pillar["covered"] / pillar["total"] if pillar["total"] else 0}
        rows.append({"plan": _plan_label(p), "cells": cells, "covered": c.covered, "total": c.indicators})
    return list(pillars.items()), rows


def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("vnplans.pipeline", "templates"),
                              autoescape=jinja2.select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def render_audit(a: Audit) -> str:
    pillars, coverage = _coverage_table(a)
    return _env().get_template("audit.html").render(
        audit=a, totals=a.totals(), charts=charts(a), pillars=pillars, coverage=coverage,
        generated=dt.datetime.now().replace(microsecond=0).isoformat(sep=" "))


def write_audit(a: Audit, path: str | Path) -> None:
    """Write atomically: a reader never sees half a report."""
    with atomic(Path(path), "w", encoding="utf-8") as f:
        f.write(render_audit(a))


# --- compare: one metric across provinces ----------------------------------------------------------------------

def _main_spread(c: Comparison):
    """The unit and level most provinces committed in: the one the charts draw."""
    return max(c.spreads, key=lambda s: (s.provinces, s.unit or "", s.scope or ""), default=None)


def _national_in(c: Comparison, unit) -> list[dict]:
    """The national targets, when the provinces' values are in the unit they are set in."""
    return list(c.metric.national) if unit in (None, c.metric.unit) else []


def latest_figure(c: Comparison):
    """Each province's latest commitment (one bar each, the comparator printed on it) against the national
    target and the median of the provinces."""
    spread = _main_spread(c)
    if spread is None:
        return None
    latest = sorted((x for x in c.commitments if x.latest and x.unit == spread.unit and x.scope == spread.scope),
                    key=lambda x: (x.value, x.province or ""))
    plt, fig, ax = _figure(len(latest))
    y = list(range(len(latest)))
    ax.barh(y, [x.value for x in latest], color=COLOURS["info"], height=0.6)
    for i, x in enumerate(latest):
        ax.text(x.value, i, f" {x.display()} ({x.year or '?'})", va="center", fontsize=9)
    ax.set_yticks(y, [x.province or NO_PROVINCE for x in latest])
    ax.axvline(spread.median, color=COLOURS["warn"], linestyle="--", linewidth=1.5,
               label=f"trung vị các tỉnh · median of the provinces: {spread.median:g}")
    for n in _national_in(c, spread.unit):
        ax.axvline(n["value"], color=COLOURS["bad"], linewidth=1.5,
                   label=f"mục tiêu quốc gia · national target: {n['comparator'].replace('>=', '≥')}{n['value']:g}"
                         f" ({n['year']})")
    ax.set_xlabel(f"{c.metric.name} ({spread.unit or 'giá trị · value'})")
    ax.set_xlim(0, max([x.value for x in latest] + [n["value"] for n in _national_in(c, spread.unit)]) * 1.25)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=1, frameon=False)
    return fig


def trajectory_figure(c: Comparison):
    """How each province's commitment moved from plan to plan, by target year, next to the national targets."""
    spread = _main_spread(c)
    series = {p: [x for x in cs if x.unit == (spread.unit if spread else x.unit) and x.year]
              for p, cs in c.trajectories.items()}
    series = {p: cs for p, cs in series.items() if len({x.year for x in cs}) > 1}
    if not series:
        return None
    plt, fig, ax = _figure(6)
    for p, cs in sorted(series.items()):
        ax.plot([x.year for x in cs], [x.value for x in cs], marker="o", label=NO_PROVINCE if p == "?" else p)
    for n in _national_in(c, spread.unit if spread else None):
        ax.scatter([n["year"]], [n["value"]], marker="*", s=160, color=COLOURS["bad"], zorder=3,
                   label=f"mục tiêu quốc gia · national target {n['year']}")
    ax.set_xlabel("năm mục tiêu · target year")
    ax.set_ylabel(spread.unit if spread and spread.unit else "giá trị · value")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return fig


def compare_charts(c: Comparison) -> dict[str, str]:
    out = {}
    for name, draw in (("latest", latest_figure), ("trajectories", trajectory_figure)):
        fig = draw(c)
        if fig is not None:
            out[name] = _svg(fig)
            import matplotlib.pyplot as plt

            plt.close(fig)
    return out


def render_compare(c: Comparison) -> str:
    return _env().get_template("compare.html").render(
        c=c, no_province=NO_PROVINCE, spread=_main_spread(c), charts=compare_charts(c),
        generated=dt.datetime.now().replace(microsecond=0).isoformat(sep=" "))


def write_compare(c: Comparison, path: str | Path) -> None:
    """Write atomically: a reader never sees half a page."""
    with atomic(Path(path), "w", encoding="utf-8") as f:
        f.write(render_compare(c))
