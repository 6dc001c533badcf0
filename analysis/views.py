"""Views of a stored publication: what one report, chat summary or page may show.

A view is a filter of the publication for one scope (the whole wave, or a unit and what
is below it), laid out as the report's tables. It never touches responses and never
adds a figure: every number in it is a number of the publication, or arithmetic on
numbers the publication shows for the same group (percentages, means, intervals). So no
sequence of views, in any format or scope and at any date, shows more than the
publication itself (docs/privacy.md, "One publication per wave").
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from analysis.labels import characteristic_labels
from analysis.linked import UNIT_LEVELS
from analysis.publication import Publication
from analysis.tables import GAP_COLUMNS, RESULT_COLUMNS, Tables, metrics
from analysis.words import w
from surveys.model import QuestionType, Survey
from surveys.text import localise

RATE_COLUMNS = [
    "unit",
    "name",
    "kind",
    "parent",
    "respondents",
    "headcount",
    "response_rate",
    "suppressed",
]
TREND_COLUMNS = ["wave", "label", "opens_on", "question", "metric", "n", "value", "suppressed"]


class ViewError(Exception):
    """A view that cannot be made as asked; the message is for the user."""


class Tree:
    """The organisation as the publication recorded it."""

    def __init__(self, publication: Publication):
        self.units = {u.code: u for u in publication.units}
        self.children: dict[str, list[str]] = {}
        for unit in publication.units:
            if unit.parent is not None:
                self.children.setdefault(unit.parent, []).append(unit.code)
        self.roots = [u.code for u in publication.units if u.parent not in self.units]

    def subtree(self, code: str) -> set[str]:
        out, stack = set(), [code]
        while stack:
            node = stack.pop()
            if node not in out:
                out.add(node)
                stack.extend(self.children.get(node, []))
        return out


def labels(publication: Publication, language: str = "en") -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {("all", "all"): w("all_respondents", language)}
    for unit in publication.units:
        for level in UNIT_LEVELS:
            out[(level, unit.code)] = unit.name
    monitoring = Survey.model_validate(publication.monitoring) if publication.monitoring else None
    for key, values in characteristic_labels(monitoring, language).items():
        for value, label in values.items():
            out[(key, value)] = label
    return out


def _results(publication: Publication, survey: Survey) -> tuple[pd.DataFrame, pd.DataFrame]:
    results: list[pd.DataFrame] = []
    distributions: list[pd.DataFrame] = []
    for question in survey.questions:
        rows = publication.answers.get(question.key)
        if question.type == QuestionType.FREE_TEXT or not rows:
            continue
        options = question.option_keys()
        hidden = np.array([r.counts is None for r in rows], dtype=bool)
        matrix = np.array(
            [r.counts if r.counts is not None else (0,) * len(options) for r in rows],
            dtype=float,
        ).reshape(len(rows), len(options))
        n = np.array([r.n if r.n is not None else 0 for r in rows], dtype=float)
        figures = metrics(question, pd.DataFrame(matrix, columns=options), pd.Series(n))
        frame: dict[str, object] = {
            "question": question.key,
            "breakdown": [r.breakdown for r in rows],
            "group": [r.group for r in rows],
        }
        for column in ("n", "pct_favourable", "pct_yes", "ci_low", "ci_high", "mean", "enps"):
            frame[column] = np.where(hidden, np.nan, figures[column])
        frame["indicative"] = np.where(hidden, False, figures["indicative"])
        frame["suppressed"] = hidden
        results.append(pd.DataFrame(frame, columns=RESULT_COLUMNS))
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = np.where(n[:, None] > 0, matrix / n[:, None] * 100, np.nan)
        hide = np.repeat(hidden, len(options))
        distributions.append(
            pd.DataFrame(
                {
                    "question": question.key,
                    "breakdown": np.repeat([r.breakdown for r in rows], len(options)),
                    "group": np.repeat([r.group for r in rows], len(options)),
                    "option": np.tile(options, len(rows)),
                    "count": np.where(hide, np.nan, matrix.ravel()),
                    "pct": np.where(hide, np.nan, pct.ravel()),
                    "suppressed": hide,
                }
            )
        )
    result = (
        pd.concat(results, ignore_index=True) if results else pd.DataFrame(columns=RESULT_COLUMNS)
    )
    distribution = pd.concat(distributions, ignore_index=True) if distributions else pd.DataFrame()
    return result, distribution


def _rates(publication: Publication) -> pd.DataFrame:
    shown = {(g.breakdown, g.group): g.respondents for g in publication.groups}
    rows = []
    for unit in publication.units:
        respondents = shown.get((unit.kind, unit.code))
        has_headcount = unit.headcount is not None and unit.headcount > 0
        rows.append(
            {
                "unit": unit.code,
                "name": unit.name,
                "kind": unit.kind,
                "parent": unit.parent or "",
                "respondents": np.nan if respondents is None else respondents,
                "headcount": np.nan if unit.headcount is None else unit.headcount,
                "response_rate": np.nan
                if respondents is None or not has_headcount
                else respondents / unit.headcount * 100,  # type: ignore[operator]
                "suppressed": respondents is None,
            }
        )
    return pd.DataFrame(rows, columns=RATE_COLUMNS)


def _gaps(publication: Publication, scope: str) -> pd.DataFrame:
    rows = [
        {
            "question": g.question,
            "breakdown": g.breakdown,
            "group": g.group,
            "n": g.n,
            "value": g.value,
            "rest_n": g.rest_n,
            "rest_value": g.rest_value,
            "difference": g.difference,
            "p_value": g.p_value,
            "q_value": g.q_value,
            "method": g.method,
            "significant": g.significant,
            "indicative": g.indicative,
        }
        for g in publication.gaps
        if g.scope == scope
    ]
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def _trend(publication: Publication, scope: str) -> pd.DataFrame:
    rows = [
        {
            "wave": t.wave,
            "label": t.label,
            "opens_on": date.fromisoformat(t.opens_on),
            "question": t.question,
            "metric": t.metric,
            "n": np.nan if t.n is None else t.n,
            "value": np.nan if t.value is None else t.value,
            "suppressed": t.value is None,
        }
        for t in publication.trend
        if t.scope == scope
    ]
    return pd.DataFrame(rows, columns=TREND_COLUMNS)


def _comments(publication: Publication, tree: Tree, scope: str | None) -> pd.DataFrame:
    """A scope's comments: those whose home list is inside it, if it may show a list."""
    if scope is None:
        chosen = publication.comments
    elif scope in publication.comment_units:
        inside = tree.subtree(scope)
        chosen = [c for c in publication.comments if c.unit in inside]
    else:
        chosen = []
    return pd.DataFrame(
        [{"question": c.question, "text": c.text} for c in chosen], columns=["question", "text"]
    )


def _in_scope(frame: pd.DataFrame, units: set[str], whole: bool) -> pd.DataFrame:
    if frame.empty:
        return frame
    breakdown = frame["breakdown"]
    unit_rows = breakdown.isin(UNIT_LEVELS) & frame["group"].isin(units)
    by_unit = breakdown.str.split("×").str[0].isin(UNIT_LEVELS) & breakdown.str.contains("×")
    unit_cross = by_unit & frame["group"].str.split("|").str[0].isin(units)
    other = ~breakdown.isin(UNIT_LEVELS) & ~by_unit & (breakdown != "all")
    keep = (breakdown == "all") | unit_rows | unit_cross | (other & whole)
    return frame[keep].reset_index(drop=True)


def tables(
    publication: Publication, *, scope: str | None = None, today: date, language: str = "en"
) -> Tables:
    """The report's tables for one scope, read from the publication alone, with the words
    around the figures in `language` (en or cy)."""
    tree = Tree(publication)
    if scope is not None and scope not in tree.units:
        raise ViewError(
            f"unit {scope!r} was not in wave {publication.wave_id}'s organisation when it "
            "opened ('firevoice org list' shows today's units)"
        )
    survey = publication.survey_definition()
    results, distribution = _results(publication, survey)
    rates = _rates(publication)
    whole = scope is None or scope in tree.roots
    if scope is not None:
        units = tree.subtree(scope)
        results = _in_scope(results, units, whole)
        distribution = _in_scope(distribution, units, whole)
        rates = rates[rates["unit"].isin(units)].reset_index(drop=True)
    return Tables(
        survey_key=publication.survey_key,
        survey_title=localise(survey.title, language),
        wave_id=publication.wave_id,
        wave_label=publication.wave_label,
        scope=scope,
        scope_name=w("whole_organisation", language) if scope is None else tree.units[scope].name,
        k_unit=publication.k_unit,
        k_characteristic=publication.k_characteristic,
        k_comments=publication.k_comments,
        synthetic=publication.synthetic,
        generated_on=today,
        questions=list(survey.questions),
        results=results,
        distribution=distribution,
        response_rates=rates,
        gaps=_gaps(publication, "all" if whole else str(scope)),
        comments=_comments(publication, tree, scope),
        trend=_trend(publication, "all" if scope is None else scope),
        group_labels=labels(publication, language),
        publication_note=note(publication, language),
        language=language,
        actions=[a for a in publication.actions if scope is None or a.unit in tree.subtree(scope)],
        previous_label=_previous_label(publication),
    )


def _previous_label(publication: Publication) -> str | None:
    """The label of the wave the publication's actions answer (from its trend rows)."""
    waves = {a.wave for a in publication.actions}
    labels = {t.wave: t.label for t in publication.trend if t.wave in waves}
    return next(iter(labels.values()), None)


def note(publication: Publication, language: str = "en") -> str:
    """Which publication a view was read from, and what its audit proved."""
    version = w("version", language, n=publication.version) + (
        w("correcting", language, n=publication.supersedes, reason=publication.reason)
        if publication.supersedes
        else ""
    )
    return w(
        "note",
        language,
        wave=publication.wave_id,
        version=version,
        released=publication.released_on,
        digest=publication.digest[:16],
        audit=publication.audit.sentence(language),
    )
