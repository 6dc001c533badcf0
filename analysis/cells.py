"""Figures as text, shared by the HTML and PDF renderers so both print the same numbers."""

from __future__ import annotations

import math

import pandas as pd

from analysis.publication import headline
from surveys.model import Question, QuestionType


def fmt(value: object, suffix: str = "", digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.{digits}f}{suffix}"
    return f"{value}{suffix}"


def result_cells(question: Question, row: pd.Series) -> list[str]:
    """n, headline result, 95% interval and mean/eNPS of one visible result row."""
    metric = headline(question)
    value = (
        fmt(row[metric], "%")
        if metric
        else (fmt(row["mean"], "", 1) if question.type == QuestionType.SCALE_0_10 else "")
    )
    ci = (
        f"{fmt(row['ci_low'])}–{fmt(row['ci_high'])}%"
        if metric and not pd.isna(row["ci_low"])
        else ""
    )
    extra = (
        f"eNPS {fmt(row['enps'])}"
        if question.type == QuestionType.SCALE_0_10
        else (fmt(row["mean"], "", 2) if question.type == QuestionType.LIKERT else "")
    )
    return [fmt(row["n"]), value, ci, extra]
