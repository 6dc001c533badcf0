"""Synthetic, clearly labelled data for the demo, the benchmark and tests.

A made-up service ("Synthetica Fire and Rescue Service") with areas, wholetime stations and
their watches, on-call stations, Fire Control and a support department, and responses with
real group differences built in, generated with numpy (no loop per response).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveys.equality import ETHNIC_GROUPS, derive_disability, derive_ethnic_group
from surveys.model import PREFER_NOT_TO_SAY, QuestionType, Survey

SERVICE_CODE = "SYN"
NONE = np.array(None, dtype=object)  # a missing answer, broadcastable in np.where
WATCHES = ("Red", "White", "Blue", "Green")
AREAS = {
    "SYN-N": ("Northern Area", ["Ashby", "Birchwood", "Carrow", "Dunmere", "Elstow"]),
    "SYN-C": ("Central Area", ["Fairholme", "Greystone", "Hartfield", "Ivydale"]),
    "SYN-S": ("Southern Area", ["Juniper Cross", "Kingsmead", "Longmoor", "Marshgate", "Northby"]),
}
ON_CALL_EVERY = 2  # every second station is on-call (one crew, no watches)

COMMENTS = [
    "Good support from my watch.",
    "Shift changes are not explained well enough.",
    "I would like more training opportunities.",
    "Banter sometimes goes too far and nobody challenges it.",
    "WM Jones is always fair with us.",
    "Call me on 07700 900123 if you want to talk about this.",
    "The new kit is much better.",
    "Promotion feels like it depends on who you know.",
    "Welfare support after the big fire was excellent.",
    "More female changing facilities are needed at the station.",
]


def organisation_csv() -> str:
    """The synthetic service's units as an org import CSV."""
    lines = ["code,name,kind,parent_code,headcount"]
    lines.append(f"{SERVICE_CODE},Synthetica Fire and Rescue Service (synthetic),service,,0")
    total = 0
    station_number = 0
    for area_code, (area_name, stations) in AREAS.items():
        area_total = 0
        area_lines = []
        for station_name in stations:
            station_number += 1
            code = f"S{station_number:02d}"
            if station_number % ON_CALL_EVERY == 0:
                headcount = 14
                area_lines.append(
                    f"{code},{station_name} (on-call),station,{area_code},{headcount}"
                )
            else:
                headcount = 4 * 16
                area_lines.append(f"{code},{station_name},station,{area_code},{headcount}")
                for watch in WATCHES:
                    area_lines.append(
                        f"{code}-{watch[0]},{station_name} {watch} Watch,watch,{code},16"
                    )
            area_total += headcount
        lines.append(f"{area_code},{area_name},area,{SERVICE_CODE},{area_total}")
        lines.extend(area_lines)
        total += area_total
    lines.append(f"SYN-CTRL,Fire Control,department,{SERVICE_CODE},40")
    lines.append(f"SYN-SUP,Support Services,department,{SERVICE_CODE},120")
    total += 160
    lines[1] = lines[1].replace(",service,,0", f",service,,{total}")
    return "\n".join(lines) + "\n"


def scaled_organisation_csv(stations: int, *, per_area: int = 10, watches: int = 4) -> str:
    """A synthetic service of `stations` wholetime stations with `watches` watches each,
    in areas of `per_area` stations, plus Fire Control (for benchmarks and tests)."""
    lines = ["code,name,kind,parent_code,headcount"]
    area_count = max(1, -(-stations // per_area))
    station_headcount, watch_headcount = 16 * watches, 16
    total = stations * station_headcount + 40
    lines.append(f"{SERVICE_CODE},Synthetica Fire and Rescue Service (synthetic),service,,{total}")
    for a in range(area_count):
        inside = range(a * per_area, min(stations, (a + 1) * per_area))
        area = f"SYN-A{a + 1:02d}"
        lines.append(f"{area},Area {a + 1},area,{SERVICE_CODE},{len(inside) * station_headcount}")
        for s in inside:
            code = f"S{s + 1:03d}"
            lines.append(f"{code},Station {s + 1},station,{area},{station_headcount}")
            for w in WATCHES[:watches]:
                lines.append(
                    f"{code}-{w[0]},Station {s + 1} {w} Watch,watch,{code},{watch_headcount}"
                )
    lines.append(f"SYN-CTRL,Fire Control,department,{SERVICE_CODE},40")
    return "\n".join(lines) + "\n"


def _units(org_csv: str) -> pd.DataFrame:
    import io

    frame = pd.read_csv(io.StringIO(org_csv), dtype=str, keep_default_na=False)
    return frame


@dataclass
class Generated:
    """Column arrays for n responses: unit codes, snapshot columns and answers."""

    units: np.ndarray
    snapshot: dict[str, np.ndarray]
    answers: dict[str, np.ndarray]  # question -> values (str, or None)


def _choice(
    rng: np.random.Generator, values: list[str | None], weights: list[float], n: int
) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(np.asarray(values, dtype=object), size=n, p=p / p.sum())


def generate(
    survey: Survey, n: int, *, seed: int = 1, wave_index: int = 0, org_csv: str | None = None
) -> Generated:
    """n synthetic responses to a survey, with group differences built in."""
    rng = np.random.default_rng(seed + 1000 * wave_index)
    org = _units(org_csv or organisation_csv())
    leaves = org[
        org["kind"].isin(["watch", "department"])
        | ((org["kind"] == "station") & org["name"].str.contains("on-call"))
    ]
    weights = leaves["headcount"].astype(float).to_numpy()
    units = rng.choice(leaves["code"].to_numpy(dtype=object), size=n, p=weights / weights.sum())
    kind = dict(zip(org["code"], org["kind"], strict=True))
    names = dict(zip(org["code"], org["name"], strict=True))

    sex = _choice(rng, ["male", "female", PREFER_NOT_TO_SAY, None], [79, 17, 2.5, 1.5], n)
    group = _choice(
        rng,
        ["white", "mixed", "asian", "black", "other", PREFER_NOT_TO_SAY, None],
        [88, 2.5, 3, 2, 0.5, 2.5, 1.5],
        n,
    )
    ethnicity = np.empty(n, dtype=object)
    for g, categories in ETHNIC_GROUPS.items():
        mask = group == g
        first_weight = 8.0 if g == "white" else 1.0
        w = [first_weight] + [1.0] * (len(categories) - 1)
        ethnicity[mask] = _choice(rng, list(categories), w, int(mask.sum()))
    ethnicity[group == PREFER_NOT_TO_SAY] = PREFER_NOT_TO_SAY
    ethnicity[pd.isna(group)] = None
    condition = _choice(rng, ["yes", "no", PREFER_NOT_TO_SAY, None], [14, 80, 3, 3], n)
    impact = np.where(
        condition == "yes", _choice(rng, ["a_lot", "a_little", "not_at_all"], [2, 4, 3], n), NONE
    )
    age = _choice(
        rng,
        ["age_16_24", "age_25_34", "age_35_44", "age_45_54", "age_55_64", PREFER_NOT_TO_SAY, None],
        [7, 24, 28, 26, 11, 2, 2],
        n,
    )
    staff_group = np.array(
        [
            "control"
            if u == "SYN-CTRL"
            else "support"
            if kind[u] == "department"
            else "on_call"
            if "on-call" in names[u]
            else "wholetime"
            for u in units
        ],
        dtype=object,
    )
    snapshot = {
        "age_band": age,
        "sex": sex,
        "gender_identity": _choice(
            rng, ["yes", "no", PREFER_NOT_TO_SAY, None], [95, 0.8, 2.2, 2], n
        ),
        "sexual_orientation": _choice(
            rng,
            ["straight", "gay_lesbian", "bisexual", "other", PREFER_NOT_TO_SAY, None],
            [86, 3, 2, 0.5, 6, 2.5],
            n,
        ),
        "ethnicity": ethnicity,
        "ethnic_group": np.array([derive_ethnic_group(e) for e in ethnicity], dtype=object),
        "religion": _choice(
            rng,
            [
                "no_religion",
                "christian",
                "buddhist",
                "hindu",
                "jewish",
                "muslim",
                "sikh",
                "other_religion",
                PREFER_NOT_TO_SAY,
                None,
            ],
            [48, 38, 0.5, 1, 0.3, 2, 0.7, 1.5, 6, 2],
            n,
        ),
        "disability": np.array(
            [derive_disability(c, i) for c, i in zip(condition, impact, strict=True)], dtype=object
        ),
        "marriage_civil_partnership": _choice(
            rng,
            ["married_or_civil_partnership", "not_married", PREFER_NOT_TO_SAY, None],
            [55, 38, 4, 3],
            n,
        ),
        "pregnancy_maternity": np.where(
            sex == "female",
            _choice(rng, ["yes", "no"], [4, 96], n),
            np.where(sex == "male", "no", NONE),
        ),
        "caring": _choice(rng, ["yes", "no", PREFER_NOT_TO_SAY, None], [18, 75, 4, 3], n),
        "staff_group": staff_group,
    }

    # A latent "how things feel here" score with real differences between groups and units.
    latent = rng.normal(0.35 + 0.08 * wave_index, 1.0, n)
    latent -= 0.55 * (snapshot["disability"] == "disabled")
    latent -= 0.35 * (sex == "female")
    latent -= 0.45 * np.isin(group, ["black", "asian", "mixed"])
    latent -= 0.6 * np.isin(units, ["S03", "S03-R", "S03-W", "S03-B", "S03-G"])
    latent += 0.25 * (staff_group == "control")

    answers: dict[str, np.ndarray] = {}
    for index, question in enumerate(survey.questions):
        noise = rng.normal(0, 0.9, n)
        value: np.ndarray
        if question.type == QuestionType.LIKERT:
            shift = 0.3 * np.sin(index)  # some items lower than others
            if question.key in ("progression_fair", "leaders_role_model"):
                shift -= 0.5
            score = latent + shift + noise
            cut = np.digitize(score, [-1.6, -0.6, 0.0, 1.2])
            keys = np.array(
                ["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"],
                dtype=object,
            )
            value = keys[cut]
        elif question.type == QuestionType.YES_NO:
            probability = 1 / (1 + np.exp(2.0 + latent))
            if question.show_if is not None:
                probability = np.full(n, 0.4)
            value = np.where(rng.random(n) < probability, "yes", "no").astype(object)
        elif question.type == QuestionType.SCALE_0_10:
            value = (
                np.clip(np.round(6.5 + 1.8 * latent + noise), 0, 10)
                .astype(int)
                .astype(str)
                .astype(object)
            )
        elif question.type == QuestionType.SINGLE_CHOICE:
            keys = np.array([o.key for o in question.options], dtype=object)
            value = keys[rng.integers(0, len(keys), n)]
        elif question.type == QuestionType.MULTIPLE_CHOICE:
            option_keys = [o.key for o in question.options]
            value = np.array(
                [
                    ";".join(
                        sorted(rng.choice(option_keys, size=rng.integers(1, 3), replace=False))
                    )
                    for _ in range(n)
                ],
                dtype=object,
            )
        else:
            value = np.where(
                rng.random(n) < 0.12, rng.choice(np.array(COMMENTS, dtype=object), n), NONE
            )
        if question.optional and question.type != QuestionType.FREE_TEXT:
            value = np.where(rng.random(n) < 0.05, NONE, value)
        if question.show_if is not None:
            parent = answers[question.show_if.question]
            allowed = [str(v) for v in question.show_if.values]
            value = np.where(np.isin(parent.astype(str), allowed), value, NONE)
        answers[question.key] = value
    return Generated(units=units, snapshot=snapshot, answers=answers)


def rows(generated: Generated) -> Iterator[tuple[str, dict[str, object], dict[str, str | None]]]:
    """(unit, answers, snapshot) per response, for storing through the normal services."""
    keys = list(generated.answers)
    snapshot_keys = list(generated.snapshot)
    for i in range(len(generated.units)):
        answers: dict[str, object] = {}
        for key in keys:
            value = generated.answers[key][i]
            if value is None:
                continue
            answers[key] = value
        yield (
            str(generated.units[i]),
            answers,
            {k: generated.snapshot[k][i] for k in snapshot_keys},
        )
