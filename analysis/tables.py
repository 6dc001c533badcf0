"""From a wave's responses to the report's tables, with disclosure control applied once.

Every figure is derived from count matrices (groups x answer options) built with vectorised
groupby, never a loop over responses. Suppression is decided here, on the whole wave, so
a station manager's report and the service-wide report hide exactly the same cells and
cannot be subtracted from each other. Renderers only ever see the finished tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from analysis import disclosure, stats
from analysis.data import LEVELS, NOT_ANSWERED, WaveData
from analysis.publication import ActionRow, headline
from analysis.redact import redact
from surveys.equality import CHARACTERISTICS, ETHNIC_GROUPS
from surveys.model import FAVOURABLE, PREFER_NOT_TO_SAY, Question, QuestionType
from surveys.text import localise

LIKERT_SCORES = {
    "strongly_disagree": 1,
    "disagree": 2,
    "neutral": 3,
    "agree": 4,
    "strongly_agree": 5,
}
# One level of intersection: areas by the main characteristics, and pairs of them.
UNIT_INTERSECTION_LEVEL = "area"
INTERSECTION_CHARACTERISTICS = ("sex", "ethnic_group", "disability", "age_band")
CHARACTERISTIC_PAIRS = (
    ("sex", "ethnic_group"),
    ("sex", "disability"),
    ("sex", "age_band"),
    ("ethnic_group", "disability"),
)
GAP_COLUMNS = [
    "question",
    "breakdown",
    "group",
    "n",
    "value",
    "rest_n",
    "rest_value",
    "difference",
    "p_value",
    "q_value",
    "method",
    "significant",
    "indicative",
]
RESULT_COLUMNS = [
    "question",
    "breakdown",
    "group",
    "n",
    "pct_favourable",
    "pct_yes",
    "ci_low",
    "ci_high",
    "mean",
    "enps",
    "indicative",
    "suppressed",
]


@dataclass
class Tables:
    """Everything a report shows, already protected."""

    survey_key: str
    survey_title: str
    wave_id: int
    wave_label: str
    scope: str | None
    scope_name: str
    k_unit: int
    k_characteristic: int
    k_comments: int
    synthetic: bool
    generated_on: date
    questions: list[Question]
    results: pd.DataFrame
    distribution: pd.DataFrame
    response_rates: pd.DataFrame
    gaps: pd.DataFrame
    comments: pd.DataFrame
    trend: pd.DataFrame = field(default_factory=pd.DataFrame)
    group_labels: dict[tuple[str, str], str] = field(default_factory=dict)
    # Which stored publication the tables were read from, and what its audit proved.
    publication_note: str = ""
    # The language of the words around the figures (analysis/words.py): en or cy.
    language: str = "en"
    # "You said, we did": the register's actions against the previous wave, in scope.
    actions: list[ActionRow] = field(default_factory=list)
    previous_label: str | None = None


def scope_rows(tables: Tables, frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of `frame` (results or distribution) for the view's whole scope: the
    wave's total, or the scope unit's own row."""
    if tables.scope is None:
        return frame[frame["breakdown"] == "all"]
    return frame[(frame["group"] == tables.scope) & frame["breakdown"].isin(LEVELS)]


# --- labels ------------------------------------------------------------------------------------


def group_labels(
    data: WaveData, monitoring_labels: dict[str, dict[str, str]]
) -> dict[tuple[str, str], str]:
    labels: dict[tuple[str, str], str] = {("all", "all"): "All respondents"}
    for code in data.units.table.index:
        for level in LEVELS:
            labels[(level, str(code))] = data.units.name(str(code))
    for key, values in monitoring_labels.items():
        for value, label in values.items():
            labels[(key, value)] = label
    return labels


# --- metrics ----------------------------------------------------------------------------------


def metrics(question: Question, counts: pd.DataFrame, n: pd.Series) -> dict[str, np.ndarray]:
    """Headline figures for each row (group) of a count matrix, as numpy columns."""
    matrix = counts.to_numpy(dtype=float)
    column = {key: i for i, key in enumerate(counts.columns)}
    people = n.to_numpy(dtype=float)
    rows = len(people)
    nan = np.full(rows, np.nan)
    out = {
        "n": people,
        "pct_favourable": nan,
        "pct_yes": nan,
        "ci_low": nan,
        "ci_high": nan,
        "mean": nan,
        "enps": nan,
    }

    def col(key: str) -> np.ndarray:
        return matrix[:, column[key]] if key in column else np.zeros(rows)

    valid = people - col(PREFER_NOT_TO_SAY)
    with np.errstate(divide="ignore", invalid="ignore"):
        if question.type == QuestionType.LIKERT:
            hits = sum((col(k) for k in FAVOURABLE), np.zeros(rows))
            out["pct_favourable"] = np.where(valid > 0, hits / valid * 100, np.nan)
            low, high = stats.wilson_interval(hits, valid)
            out["ci_low"], out["ci_high"] = low * 100, high * 100
            score = sum((col(k) * v for k, v in LIKERT_SCORES.items()), np.zeros(rows))
            out["mean"] = np.where(valid > 0, score / valid, np.nan)
        elif question.type == QuestionType.YES_NO:
            hits = col("yes")
            out["pct_yes"] = np.where(valid > 0, hits / valid * 100, np.nan)
            low, high = stats.wilson_interval(hits, valid)
            out["ci_low"], out["ci_high"] = low * 100, high * 100
        elif question.type == QuestionType.SCALE_0_10:
            score = sum((col(str(i)) * i for i in range(11)), np.zeros(rows))
            out["mean"] = np.where(valid > 0, score / valid, np.nan)
            promoters = col("9") + col("10")
            detractors = sum((col(str(i)) for i in range(7)), np.zeros(rows))
            out["enps"] = np.where(valid > 0, (promoters - detractors) / valid * 100, np.nan)
    out["indicative"] = valid < stats.INDICATIVE_BASE
    return out


def headline_hits(question: Question, counts: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(hits, valid base) per group for the question's headline proportion."""
    n = counts.sum(axis=1)
    pnts = counts.get(PREFER_NOT_TO_SAY, 0)
    valid = n - pnts
    if question.type == QuestionType.LIKERT:
        return sum(counts[k] for k in FAVOURABLE), valid
    return counts["yes"], valid


# --- counting ---------------------------------------------------------------------------------


class Counter:
    """Count matrices for one question over any grouping of the wave's responses.

    Works on the categorical codes with numpy.bincount: one pass per grouping, whatever
    the number of responses.
    """

    def __init__(self, data: WaveData, question: Question):
        self.data = data
        self.question = question
        self.options = question.option_keys()
        self.multi = question.type == QuestionType.MULTIPLE_CHOICE
        if self.multi:
            self.frame = data.multi[data.multi["question"] == question.key]
            self.values = pd.Categorical(self.frame["option"], categories=self.options).codes
        else:
            self.frame = data.responses
            self.values = np.asarray(self.frame[question.key].cat.codes)

    def categories(self, column: str) -> list[str]:
        return [str(c) for c in self.frame[column].cat.categories]

    def _codes(self, column: str) -> tuple[np.ndarray, list[str]]:
        codes = np.asarray(self.frame[column].cat.codes, dtype=np.int64)
        return codes, self.categories(column)

    def counts(self, by: Sequence[str]) -> tuple[pd.DataFrame, pd.Series]:
        """(groups x options counts, people answering per group); only groups with people."""
        options = len(self.options)
        key = np.zeros(len(self.frame), dtype=np.int64)
        valid = self.values >= 0
        levels: list[list[str]] = []
        for column in by:
            codes, categories = self._codes(column)
            valid &= codes >= 0
            key = key * len(categories) + codes
            levels.append(categories)
        groups = int(np.prod([len(level) for level in levels])) if levels else 1
        key, values = key[valid], self.values[valid].astype(np.int64)
        matrix = np.bincount(key * options + values, minlength=groups * options).reshape(
            groups, options
        )
        if self.multi:
            responses = pd.Categorical(self.frame["response"][valid]).codes.astype(np.int64)
            pairs = (
                np.unique(np.stack([key, responses]), axis=1)
                if len(key)
                else np.zeros((2, 0), dtype=np.int64)
            )
            people = np.bincount(pairs[0], minlength=groups)
        else:
            people = matrix.sum(axis=1)
        if levels:
            index = (
                pd.MultiIndex.from_product(levels, names=list(by))
                if len(levels) > 1
                else pd.Index(levels[0], name=by[0])
            )
        else:
            index = pd.Index(["all"])
        keep = people > 0
        counts = pd.DataFrame(matrix[keep], index=index[keep], columns=self.options)
        return counts, pd.Series(people[keep], index=index[keep])


# --- the tables ---------------------------------------------------------------------------------


def _labels(index: pd.Index) -> list[str]:
    if isinstance(index, pd.MultiIndex):
        return ["|".join(str(part) for part in key) for key in index]
    return [str(i) for i in index]


def _rows(
    question: Question, breakdown: str, counts: pd.DataFrame, n: pd.Series, hidden: set[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Result rows and distribution rows for one breakdown, blanking hidden groups.

    A group with nobody in it is hidden too: if empty groups were shown as empty, a hidden
    one would tell the reader that someone (fewer than k) is in it.
    """
    groups = _labels(counts.index)
    figures = metrics(question, counts, n)
    suppressed = np.array([g in hidden for g in groups], dtype=bool) | (n.to_numpy() == 0)
    result: dict[str, Any] = {"question": question.key, "breakdown": breakdown, "group": groups}
    for column in ("n", "pct_favourable", "pct_yes", "ci_low", "ci_high", "mean", "enps"):
        result[column] = np.where(suppressed, np.nan, figures[column])
    result["indicative"] = np.where(suppressed, False, figures["indicative"])
    result["suppressed"] = suppressed
    options = list(counts.columns)
    matrix = counts.to_numpy(dtype=float)
    people = n.to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(people[:, None] > 0, matrix / people[:, None] * 100, np.nan)
    hide = np.repeat(suppressed, len(options))
    distribution = pd.DataFrame(
        {
            "question": question.key,
            "breakdown": breakdown,
            "group": np.repeat(groups, len(options)),
            "option": np.tile(options, len(groups)),
            "count": np.where(hide, np.nan, matrix.ravel()),
            "pct": np.where(hide, np.nan, pct.ravel()),
            "suppressed": hide,
        }
    )
    return pd.DataFrame(result, columns=RESULT_COLUMNS), distribution


def _unit_tree(
    data: WaveData, people_direct: pd.Series
) -> tuple[dict[str, int], dict[str, list[str]], list[str]]:
    """People per unit including everything below it."""
    children = data.units.children()
    roots = data.units.roots()
    totals: dict[str, int] = {}

    def total(code: str) -> int:
        if code not in totals:
            totals[code] = int(people_direct.get(code, 0)) + sum(
                total(c) for c in children.get(code, [])
            )
        return totals[code]

    for root in roots:
        total(root)
    return totals, children, roots


RespondentTree = tuple[dict[str, int], dict[str, list[str]], list[str]]


def _respondent_tree(data: WaveData) -> RespondentTree:
    """Respondents per unit including everything below it, with the tree's shape."""
    direct = data.responses.groupby("unit", observed=True).size()
    direct.index = [str(i) for i in direct.index]
    return _unit_tree(data, direct)


def _subtree_counts(
    data: WaveData, direct: pd.DataFrame, children: dict[str, list[str]], roots: list[str]
) -> pd.DataFrame:
    codes = list(data.units.table.index)
    direct = direct.reindex([c for c in codes], fill_value=0)
    out = direct.copy()
    order: list[str] = []
    stack = list(roots)
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(children.get(node, []))
    for node in reversed(order):  # children before parents
        kids = children.get(node, [])
        if kids:
            out.loc[node] = direct.loc[node] + out.loc[kids].sum(axis=0)
    return out


def compute(
    data: WaveData,
    monitoring_labels: dict[str, dict[str, str]],
    *,
    scope: str | None = None,
    today: date | None = None,
) -> Tables:
    """All protected tables for one wave, optionally scoped to a unit and what is below it."""
    results: list[pd.DataFrame] = []
    distributions: list[pd.DataFrame] = []
    gap_rows: list[dict[str, Any]] = []
    k_unit, k_char = data.k_unit, data.k_characteristic
    countable = [q for q in data.survey.questions if q.type != QuestionType.FREE_TEXT]
    unit_kind = data.units.table["kind"].to_dict()
    parents = data.units.table["parent"].to_dict()

    for question in countable:
        counter = Counter(data, question)
        # Whole wave.
        all_counts, all_n = counter.counts([])
        if all_n.empty:
            all_counts, all_n = (
                pd.DataFrame(0, index=["all"], columns=counter.options),
                pd.Series({"all": 0}),
            )
        hidden_all = {"all"} if 0 < int(all_n.sum()) < k_unit else set()
        r, d = _rows(question, "all", all_counts, all_n, hidden_all)
        results.append(r)
        distributions.append(d)

        # Organisation tree.
        direct, direct_n = counter.counts(["unit"])
        direct.index = [str(i) for i in direct.index]
        direct_n.index = [str(i) for i in direct_n.index]
        totals, children, roots = _unit_tree(data, direct_n)
        hidden_units = disclosure.protect_tree(totals, children, roots, k_unit)
        if hidden_all:
            hidden_units |= set(totals)
        subtree = _subtree_counts(data, direct, children, roots)
        subtree_n = pd.Series(totals).reindex(subtree.index, fill_value=0)
        # A unit nobody answered from is listed, hidden, next to siblings that did answer:
        # otherwise a hidden unit would say "someone here answered" (see _rows).
        listed = [
            c
            for c in subtree.index
            if subtree_n[c] > 0
            or not isinstance(parents.get(c), str)
            or totals.get(str(parents.get(c)), 0) > 0
        ]
        for level in LEVELS:
            members = [c for c in listed if unit_kind.get(c) == level]
            if members:
                r, d = _rows(
                    question, level, subtree.loc[members], subtree_n[members], hidden_units
                )
                results.append(r)
                distributions.append(d)

        # Protected characteristics (ethnicity nested under the five ethnic groups).
        hidden_char: dict[str, set[str]] = {}
        char_counts: dict[str, tuple[pd.DataFrame, pd.Series]] = {}
        for key in CHARACTERISTICS:
            counts, n = counter.counts([key])
            counts.index = [str(i) for i in counts.index]
            n.index = [str(i) for i in n.index]
            # Every category is listed, those with nobody in them too (hidden like any group
            # under k), so that a hidden group does not reveal that it has someone in it.
            counts = counts.reindex(counter.categories(key), fill_value=0)
            n = n.reindex(counter.categories(key), fill_value=0)
            char_counts[key] = (counts, n)
        groups_n = char_counts["ethnic_group"][1]
        eth_n = char_counts["ethnicity"][1]
        tree_counts = {
            **{f"g:{g}": int(v) for g, v in groups_n.items()},
            **{f"c:{c}": int(v) for c, v in eth_n.items()},
        }
        tree_children = {f"g:{g}": [f"c:{c}" for c in cats] for g, cats in ETHNIC_GROUPS.items()}
        tree_children[f"g:{PREFER_NOT_TO_SAY}"] = [f"c:{PREFER_NOT_TO_SAY}"]
        tree_children[f"g:{NOT_ANSWERED}"] = [f"c:{NOT_ANSWERED}"]
        roots_eth = [f"g:{g}" for g in groups_n.index]
        hidden_eth = disclosure.protect_tree(tree_counts, tree_children, roots_eth, k_char)
        for key in CHARACTERISTICS:
            counts, n = char_counts[key]
            if key == "ethnic_group":
                hidden = {g[2:] for g in hidden_eth if g.startswith("g:")}
            elif key == "ethnicity":
                hidden = {c[2:] for c in hidden_eth if c.startswith("c:")}
            else:
                groups = list(n.index)
                hidden = {
                    groups[i] for i in disclosure.protect_partition([int(v) for v in n], k_char)
                }
            if hidden_all:
                hidden = set(n.index)
            hidden_char[key] = hidden
            r, d = _rows(question, key, counts, n, hidden)
            results.append(r)
            distributions.append(d)
            if headline(question) and key != "ethnicity":
                gap_rows.extend(_gaps(question, key, counts, hidden, k_char))

        # One level of intersection.
        pairs: list[tuple[str, str]] = [
            (UNIT_INTERSECTION_LEVEL, c) for c in INTERSECTION_CHARACTERISTICS
        ]
        pairs += list(CHARACTERISTIC_PAIRS)
        areas = [str(c) for c, kind in unit_kind.items() if kind == UNIT_INTERSECTION_LEVEL]
        for first, second in pairs:
            counts, n = counter.counts([first, second])
            if n.empty:
                continue
            # The full grid (every area or category by every category), empty cells included
            # and hidden, for the same reason as above.
            rows_full = areas if first == UNIT_INTERSECTION_LEVEL else counter.categories(first)
            columns_full = counter.categories(second)
            grid = pd.MultiIndex.from_product([rows_full, columns_full], names=[first, second])
            as_text = pd.MultiIndex.from_tuples([(str(a), str(b)) for a, b in n.index])
            counts.index, n.index = as_text, as_text
            counts = counts.reindex(grid, fill_value=0)
            n = n.reindex(grid, fill_value=0)
            table = n.unstack(second, fill_value=0).reindex(
                index=rows_full, columns=columns_full, fill_value=0
            )
            if first == UNIT_INTERSECTION_LEVEL:
                table.index = [str(i) for i in table.index]
                row_totals = [totals.get(r, 0) for r in table.index]
                hidden_rows = {i for i, r in enumerate(table.index) if r in hidden_units}
            else:
                table.index = [str(i) for i in table.index]
                first_n = char_counts[first][1]
                row_totals = [int(first_n.get(r, 0)) for r in table.index]
                hidden_rows = {i for i, r in enumerate(table.index) if r in hidden_char[first]}
            table.columns = [str(c) for c in table.columns]
            second_n = char_counts[second][1]
            col_totals = [int(second_n.get(c, 0)) for c in table.columns]
            hidden_cols = {i for i, c in enumerate(table.columns) if c in hidden_char[second]}
            cells = table.to_numpy(dtype=int).tolist()
            hidden_cells = disclosure.protect_table(
                cells,
                row_totals,
                col_totals,
                k_char,
                hidden_rows=hidden_rows,
                hidden_cols=hidden_cols,
            )
            cell_names = [f"{r}|{c}" for r in table.index for c in table.columns]
            hidden = {f"{table.index[r]}|{table.columns[c]}" for r, c in hidden_cells}
            if hidden_all:
                hidden = set(cell_names)
            r, d = _rows(question, f"{first}×{second}", counts, n, hidden)
            results.append(r)
            distributions.append(d)

    results_frame = (
        pd.concat(results, ignore_index=True) if results else pd.DataFrame(columns=RESULT_COLUMNS)
    )
    results_frame = results_frame[results_frame["suppressed"] | (results_frame["n"] > 0)]
    distribution_frame = (
        pd.concat(distributions, ignore_index=True) if distributions else pd.DataFrame()
    )
    gaps = _adjust(pd.DataFrame(gap_rows))
    tree = _respondent_tree(data)
    rates = _response_rates(data, tree, k_unit)
    comments = _comments(data, tree, scope)
    labels = group_labels(data, monitoring_labels)

    scope_name = "the whole organisation"
    if scope is not None:
        results_frame, distribution_frame, rates, gaps = _scoped(
            data, scope, results_frame, distribution_frame, rates, gaps
        )
        scope_name = data.units.name(scope)
    return Tables(
        survey_key=data.survey.key,
        survey_title=localise(data.survey.title, "en"),
        wave_id=data.wave_id,
        wave_label=data.label,
        scope=scope,
        scope_name=scope_name,
        k_unit=k_unit,
        k_characteristic=k_char,
        k_comments=data.k_comments,
        synthetic=data.synthetic,
        generated_on=today or date.today(),
        questions=list(data.survey.questions),
        results=results_frame.reset_index(drop=True),
        distribution=distribution_frame.reset_index(drop=True),
        response_rates=rates,
        gaps=gaps,
        comments=comments,
        group_labels=labels,
    )


def _gaps(
    question: Question, breakdown: str, counts: pd.DataFrame, hidden: set[str], k: int
) -> list[dict[str, Any]]:
    hits, valid = headline_hits(question, counts)
    total_hits, total_valid = int(hits.sum()), int(valid.sum())
    rows = []
    for group in counts.index:
        g_valid, g_hits = int(valid[group]), int(hits[group])
        rest_valid, rest_hits = total_valid - g_valid, total_hits - g_hits
        if group in hidden or g_valid < k or rest_valid < k:
            continue
        test = stats.gap_test(g_hits, g_valid, rest_hits, rest_valid)
        rows.append(
            {
                "question": question.key,
                "breakdown": breakdown,
                "group": str(group),
                "n": g_valid,
                "value": g_hits / g_valid * 100,
                "rest_n": rest_valid,
                "rest_value": rest_hits / rest_valid * 100,
                "difference": g_hits / g_valid * 100 - rest_hits / rest_valid * 100,
                "p_value": test.p_value,
                "method": test.method,
                "indicative": g_valid < stats.INDICATIVE_BASE,
            }
        )
    return rows


def _adjust(gaps: pd.DataFrame) -> pd.DataFrame:
    if gaps.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    gaps["q_value"] = stats.benjamini_hochberg(gaps["p_value"].to_numpy())
    gaps["significant"] = gaps["q_value"] < 0.05
    return gaps[GAP_COLUMNS]


def _response_rates(data: WaveData, tree: RespondentTree, k: int) -> pd.DataFrame:
    totals, children, roots = tree
    hidden = disclosure.protect_tree(totals, children, roots, k)
    table = data.units.table
    rows = []
    for code in table.index:
        respondents = totals.get(str(code), 0)
        headcount = table.at[code, "headcount"]
        # Nobody and a few people look the same here too.
        suppressed = str(code) in hidden or respondents == 0
        has_headcount = pd.notna(headcount) and int(headcount) > 0
        rows.append(
            {
                "unit": str(code),
                "name": str(table.at[code, "name"]),
                "kind": str(table.at[code, "kind"]),
                "parent": table.at[code, "parent"]
                if isinstance(table.at[code, "parent"], str)
                else "",
                "respondents": np.nan if suppressed else respondents,
                "headcount": int(headcount) if pd.notna(headcount) else np.nan,
                "response_rate": np.nan
                if suppressed or not has_headcount
                else respondents / int(headcount) * 100,
                "suppressed": suppressed,
            }
        )
    return pd.DataFrame(rows)


def _comments(data: WaveData, tree: RespondentTree, scope: str | None) -> pd.DataFrame:
    """Free-text comments, redacted, only where the group has at least k_comments people.

    A scoped report's comments are a subset of a wider report's, so the two lists can be
    compared: a station's comments minus its watch's are the other watches' comments.
    Whether a unit may show comments is therefore decided on the whole organisation
    tree, with secondary suppression at the comment threshold, so that whatever is
    left by such a difference also comes from at least k_comments people (or nobody).
    """
    frame = data.comments
    responses = data.responses
    empty = pd.DataFrame(columns=["question", "text"])
    if frame.empty:
        return empty
    totals, children, roots = tree
    hidden = disclosure.protect_tree(totals, children, roots, data.k_comments)
    if scope is not None:
        if scope in hidden or totals.get(scope, 0) < data.k_comments:
            return empty
        frame = frame[frame["unit"].astype(str).isin(data.units.subtree(scope))]
    elif len(responses) < data.k_comments:
        return empty
    if frame.empty:
        return empty
    out = pd.DataFrame(
        {"question": frame["question"].to_numpy(), "text": [redact(str(t)) for t in frame["text"]]}
    )
    # Sorted by text, so the listing says nothing about when each comment was written.
    return out.sort_values(["question", "text"]).reset_index(drop=True)


def _scoped(
    data: WaveData,
    scope: str,
    results: pd.DataFrame,
    distribution: pd.DataFrame,
    rates: pd.DataFrame,
    gaps: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A unit's view: itself and the units below it, taken from the whole-wave tables."""
    units = data.units.subtree(scope)
    is_root = scope in data.units.roots()

    def keep(frame: pd.DataFrame) -> pd.DataFrame:
        if frame.empty:
            return frame
        unit_rows = frame["breakdown"].isin(LEVELS) & frame["group"].isin(units)
        area_rows = frame["breakdown"].str.startswith(f"{UNIT_INTERSECTION_LEVEL}×") & frame[
            "group"
        ].str.split("|").str[0].isin(units)
        other = ~frame["breakdown"].isin(LEVELS) & ~frame["breakdown"].str.startswith(
            f"{UNIT_INTERSECTION_LEVEL}×"
        )
        overall = frame["breakdown"] == "all"
        return frame[overall | unit_rows | area_rows | (other & is_root)]

    return (
        keep(results),
        keep(distribution),
        rates[rates["unit"].isin(units)],
        gaps if is_root else gaps.iloc[0:0],
    )
