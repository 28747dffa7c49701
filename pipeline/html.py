"""The audit as one self-contained HTML file: tables, and charts drawn here as inline SVG.

A provincial office circulates the file by e-mail or prints it; nothing in it loads from a network,
so the charts are rendered by matplotlib at write time rather than by a JavaScript library.
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import jinja2

from vnplans.pipeline.audit import Audit
from vnplans.pipeline.files import atomic

# colours that stay apart in print and for the common colour-vision deficiencies (Okabe-Ito)
COLOURS = {"good": "#009E73", "warn": "#E69F00", "bad": "#D55E00", "none": "#999999", "info": "#0072B2",
           "alt": "#56B4E9"}


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def _figure(rows: int):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "font.size": 9, "axes.spines.top": False,
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
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(series), frameon=False)
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
            ("one lead", COLOURS["good"],
             [p.items - len(p.no_lead) - len(p.collective_lead) - len(p.several_leads) for p in a.plans]),
            ("several leads", COLOURS["warn"], [len(p.several_leads) for p in a.plans]),
            ("collective lead only", COLOURS["alt"], [len(p.collective_lead) for p in a.plans]),
            ("no lead", COLOURS["bad"], [len(p.no_lead) for p in a.plans]),
        ], "items (table rows and prose tasks)")
        out["deadlines"] = _stacked(labels, [
            (f"due after {a.as_of}", COLOURS["info"],
             [p.items - len(p.no_deadline) - len(p.vague_deadline) - len(p.past_deadline) for p in a.plans]),
            (f"passed by {a.as_of}", COLOURS["none"], [len(p.past_deadline) for p in a.plans]),
            ("vague", COLOURS["warn"], [len(p.vague_deadline) for p in a.plans]),
            ("none", COLOURS["bad"], [len(p.no_deadline) for p in a.plans]),
        ], "items")
    top = [x for x in a.loads if x.led or x.coordinated][:15]
    if top:
        out["load"] = _stacked([x.name if len(x.name) <= 45 else x.name[:44] + "…" for x in top], [
            ("leads", COLOURS["info"], [x.led for x in top]),
            ("coordinates", COLOURS["alt"], [x.coordinated for x in top]),
            ("monitors", COLOURS["none"], [x.monitored for x in top]),
        ], "assignments")
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


def render_audit(a: Audit) -> str:
    env = jinja2.Environment(loader=jinja2.PackageLoader("vnplans.pipeline", "templates"),
                             autoescape=jinja2.select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    pillars, coverage = _coverage_table(a)
    return env.get_template("audit.html").render(
        audit=a, totals=a.totals(), charts=charts(a), pillars=pillars, coverage=coverage,
        generated=dt.datetime.now().replace(microsecond=0).isoformat(sep=" "))


def write_audit(a: Audit, path: str | Path) -> None:
    """Write atomically: a reader never sees half a report."""
    with atomic(Path(path), "w", encoding="utf-8") as f:
        f.write(render_audit(a))
