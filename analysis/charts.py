"""Charts (matplotlib, PNG) with text alternatives. Only protected figures are drawn."""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.labels import breakdown_label, group_label
from analysis.tables import Tables
from analysis.words import w
from surveys.model import QuestionType
from surveys.text import localise

# Okabe-Ito: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
MAIN_CHARACTERISTICS = ("sex", "ethnic_group", "disability", "age_band")


@dataclass
class Chart:
    title: str
    png: bytes
    alt: str


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def likert_keys(tables: Tables) -> list[str]:
    return [q.key for q in tables.questions if q.type == QuestionType.LIKERT]


def unit_index(tables: Tables, level: str) -> pd.DataFrame:
    """Mean % favourable over the agreement items, per unit; units with any hidden item left out."""
    rows = tables.results[
        (tables.results["breakdown"] == level)
        & tables.results["question"].isin(likert_keys(tables))
    ]
    if rows.empty:
        return pd.DataFrame(columns=["group", "value"])
    grouped = rows.groupby("group")
    hidden = grouped["suppressed"].any()
    values = grouped["pct_favourable"].mean()
    frame = pd.DataFrame({"value": values, "hidden": hidden}).reset_index()
    return frame[~frame["hidden"]].sort_values("value")


def unit_chart(tables: Tables, level: str) -> Chart | None:
    frame = unit_index(tables, level)
    if frame.empty:
        return None
    language = tables.language
    labels = [group_label(tables.group_labels, level, g) for g in frame["group"]]
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(frame) + 1.2))
    ax.barh(labels, frame["value"], color=PALETTE[0])
    ax.set_xlim(0, 100)
    ax.set_xlabel(w("chart_units_axis", language))
    title = w("chart_units_title", language, level=breakdown_label(level, language).lower())
    ax.set_title(title)
    for y, value in enumerate(frame["value"]):
        ax.text(value + 1, y, f"{value:.0f}%", va="center", fontsize=8)
    alt = (
        title
        + ": "
        + "; ".join(
            f"{label} {value:.0f}%" for label, value in zip(labels, frame["value"], strict=True)
        )
    )
    return Chart(title, _png(fig), alt)


def characteristic_chart(tables: Tables, question_key: str) -> Chart | None:
    question = next(q for q in tables.questions if q.key == question_key)
    metric = "pct_favourable" if question.type == QuestionType.LIKERT else "pct_yes"
    rows = tables.results[
        (tables.results["question"] == question_key)
        & tables.results["breakdown"].isin(MAIN_CHARACTERISTICS)
        & ~tables.results["suppressed"]
        & tables.results[metric].notna()
    ]
    if rows.empty:
        return None
    language = tables.language
    labels = [
        f"{breakdown_label(b, language)}: {group_label(tables.group_labels, b, g)}"
        for b, g in zip(rows["breakdown"], rows["group"], strict=True)
    ]
    values = rows[metric].to_numpy()
    # Clipped at 0: at 0% or 100% the interval's end equals the value, give or take the
    # last bit of a float, and matplotlib refuses a negative error bar.
    low = np.clip(values - rows["ci_low"].to_numpy(), 0.0, None)
    high = np.clip(rows["ci_high"].to_numpy() - values, 0.0, None)
    colours = [PALETTE[MAIN_CHARACTERISTICS.index(b) % len(PALETTE)] for b in rows["breakdown"]]
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(rows) + 1.4))
    positions = list(range(len(rows)))[::-1]
    ax.barh(positions, values, xerr=[low, high], color=colours, capsize=2, ecolor="#444444")
    ax.set_yticks(positions, labels, fontsize=8)
    ax.set_xlim(0, 100)
    what = w("favourable" if metric == "pct_favourable" else "pct_yes", language)
    ax.set_xlabel(w("chart_interval_axis", language, what=what))
    text = localise(question.text, language)
    title = f"{text}"
    ax.set_title(title if len(title) < 80 else title[:77] + "…", fontsize=10)
    alt = w("chart_by_group", language, what=what, text=text) + "; ".join(
        f"{label} {v:.0f}% (95% CI {lo:.0f}-{hi:.0f}%)"
        for label, v, lo, hi in zip(labels, values, rows["ci_low"], rows["ci_high"], strict=True)
    )
    return Chart(title, _png(fig), alt)


def trend_chart(tables: Tables) -> Chart | None:
    trend = tables.trend
    if trend.empty or trend["wave"].nunique() < 2:
        return None
    trend = trend[(trend["metric"] == "pct_favourable") & ~trend["suppressed"]]
    if trend.empty:
        return None
    fig, ax = plt.subplots(figsize=(7, 4))
    language = tables.language
    texts = {q.key: localise(q.text, language) for q in tables.questions}
    lines = []
    for i, (question, rows) in enumerate(trend.groupby("question", sort=False)):
        label = texts.get(str(question), str(question))
        label = label if len(label) < 45 else label[:42] + "…"
        ax.plot(
            rows["label"],
            rows["value"],
            marker="o",
            color=PALETTE[i % len(PALETTE)],
            linestyle=["-", "--", ":"][i // len(PALETTE) % 3],
            label=label,
        )
        lines.append(
            f"{label}: "
            + ", ".join(
                f"{lab} {v:.0f}%" for lab, v in zip(rows["label"], rows["value"], strict=True)
            )
        )
    ax.set_ylim(0, 100)
    ax.set_ylabel(w("favourable", language))
    title = w("trend_title", language)
    ax.set_title(title)
    ax.legend(fontsize=7, loc="lower left", bbox_to_anchor=(0, -0.6), ncol=2)
    alt = w("trend_alt", language) + "; ".join(lines)
    return Chart(title, _png(fig), alt)


def items_chart(
    title: str,
    labels: list[str],
    values: list[float],
    reference: list[float | None],
    reference_label: str,
) -> Chart:
    """One unit's agreement items (% favourable) as bars, with the whole wave's figure
    for each item as a marker where the publication shows it. Labels come localised."""
    short = [label if len(label) <= 48 else label[:47] + "…" for label in labels]
    fig, ax = plt.subplots(figsize=(7, 0.42 * len(labels) + 1.3))
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, values, color=PALETTE[0])
    marked = [(p, r) for p, r in zip(positions, reference, strict=True) if r is not None]
    if marked:
        ax.scatter(
            [r for _, r in marked],
            [p for p, _ in marked],
            marker="|",
            s=260,
            linewidths=2.5,
            color=PALETTE[3],
            label=reference_label,
            zorder=3,
        )
        ax.legend(fontsize=8, loc="lower right")
    ax.set_yticks(positions, short, fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("%")
    ax.set_title(title if len(title) < 80 else title[:77] + "…", fontsize=10)
    for y, value in zip(positions, values, strict=True):
        ax.text(min(value + 1, 93), y, f"{value:.0f}%", va="center", fontsize=8)
    alt = (
        title
        + ": "
        + "; ".join(f"{label} {value:.0f}%" for label, value in zip(labels, values, strict=True))
    )
    return Chart(title, _png(fig), alt)


def all_charts(tables: Tables) -> list[Chart]:
    charts: list[Chart] = []
    for level in ("area", "station"):
        chart = unit_chart(tables, level)
        if chart:
            charts.append(chart)
    for question in tables.questions:
        if question.type in (QuestionType.LIKERT, QuestionType.YES_NO):
            chart = characteristic_chart(tables, question.key)
            if chart:
                charts.append(chart)
    chart = trend_chart(tables)
    if chart:
        charts.append(chart)
    return charts
