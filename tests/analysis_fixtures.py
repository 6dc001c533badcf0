"""Small hand-made waves for known-answer and disclosure tests."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from analysis.data import Units, WaveData, build_responses
from analysis.labels import characteristic_labels
from surveys.equality import CHARACTERISTICS
from surveys.loader import SurveyCatalog

UNITS = [
    ("SVC", "Service", "service", None, 100),
    ("AREA1", "Area One", "area", "SVC", 60),
    ("AREA2", "Area Two", "area", "SVC", 40),
    ("STN1", "Station One", "station", "AREA1", 40),
    ("STN1-R", "Station One Red", "watch", "STN1", 20),
    ("STN1-W", "Station One White", "watch", "STN1", 20),
    ("STN2", "Station Two", "station", "AREA1", 20),
    ("STN3", "Station Three", "station", "AREA2", 40),
]

CATALOG = SurveyCatalog.load()
PULSE = CATALOG.get("staff_pulse")
MONITORING = CATALOG.get("equality_monitoring")
LABELS = characteristic_labels(MONITORING)


def wave(
    rows: list[dict[str, Any]],
    *,
    k_unit: int = 5,
    k_char: int = 10,
    comments: list[tuple[str, str]] | None = None,
) -> WaveData:
    """A wave from rows of {unit, <characteristic>..., <question>...}."""
    units = Units.from_rows(UNITS)
    records = pd.DataFrame(rows)
    for key in ["unit", *CHARACTERISTICS]:
        if key not in records:
            records[key] = None
    responses = build_responses(records, PULSE, MONITORING, units)
    data = WaveData(
        survey=PULSE,
        wave_id=1,
        label="Test wave",
        opens_on=date(2026, 1, 1),
        k_unit=k_unit,
        k_characteristic=k_char,
        k_comments=10,
        units=units,
        responses=responses,
    )
    if comments:
        raw = pd.DataFrame(comments, columns=["unit", "text"])
        for key in CHARACTERISTICS:
            raw[key] = None
        typed = build_responses(raw[["unit", *CHARACTERISTICS]], PULSE, MONITORING, units)
        typed["response"] = [f"r{i}" for i in range(len(raw))]
        typed["question"] = "comment"
        typed["text"] = raw["text"]
        data.comments = typed
    return data
