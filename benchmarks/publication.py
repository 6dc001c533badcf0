"""Benchmark: how long releasing a wave takes (the publication and its disclosure audit).

    .venv/bin/python benchmarks/publication.py                   # 10, 50 and 100 stations
    .venv/bin/python benchmarks/publication.py --stations 10 --per-station 20
    .venv/bin/python benchmarks/publication.py --stations 10 --correction

For each size it builds a synthetic service of N wholetime stations with four watches each
(in areas of ten, plus Fire Control), answers the bundled staff pulse with
`--per-station` synthetic people per station, and times `publish`: every table, joint
suppression and the audit. Nothing touches a database: this is the release's own cost.
It prints the seconds, the share the audit took, and what the audit did. With
`--correction` it also times a correction: one station's responses (a file imported into
the wrong wave) withdrawn after release, version 2 audited together with version 1.

Target on the 2-core reference machine: a 50-station service in under 60 s.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import synthetic  # noqa: E402
from analysis.data import Units, WaveData, build_responses  # noqa: E402
from analysis.publication import Earlier, Publication, publish  # noqa: E402
from surveys.equality import CHARACTERISTICS  # noqa: E402
from surveys.loader import SurveyCatalog  # noqa: E402
from surveys.model import QuestionType  # noqa: E402


def wave(stations: int, per_station: int) -> WaveData:
    catalog = SurveyCatalog.load()
    survey = catalog.get("staff_pulse")
    monitoring = catalog.get("equality_monitoring")
    org_csv = synthetic.scaled_organisation_csv(stations)
    table = pd.read_csv(io.StringIO(org_csv), dtype={"parent_code": object})
    units = Units.from_rows(
        [
            (
                str(r.code),
                str(r.name),
                str(r.kind),
                r.parent_code if isinstance(r.parent_code, str) else None,
                int(r.headcount),
            )
            for r in table.itertuples()
        ]
    )
    generated = synthetic.generate(survey, stations * per_station, seed=11, org_csv=org_csv)
    records = pd.DataFrame(
        {
            "unit": generated.units,
            **{key: generated.snapshot.get(key) for key in CHARACTERISTICS},
            **{
                q.key: generated.answers[q.key]
                for q in survey.questions
                if q.type not in (QuestionType.FREE_TEXT, QuestionType.MULTIPLE_CHOICE)
                and q.key in generated.answers
            },
        }
    )
    return WaveData(
        survey=survey,
        wave_id=1,
        label="benchmark",
        opens_on=date(2026, 10, 1),
        k_unit=survey.thresholds.unit,
        k_characteristic=survey.thresholds.characteristic,
        k_comments=survey.thresholds.comments,
        units=units,
        responses=build_responses(records, survey, monitoring, units),
    )


def part(data: WaveData, rows: pd.Series) -> WaveData:
    """The same wave with only some of its responses."""
    return dataclasses.replace(data, responses=data.responses[rows.to_numpy()])


def report(stations: int, data: WaveData, publication: Publication, seconds: float) -> None:
    audit = publication.audit
    print(
        f"{stations:>8}  {len(data.responses):>9}  {seconds:>7.1f}  "
        f"{audit.seconds / seconds:>10.0%}  {audit.published_numbers:>7}  "
        f"{audit.cells_added:>15}  {audit.programs:>8}  {publication.version:>7}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", default="10,50,100")
    parser.add_argument("--per-station", type=int, default=40)
    parser.add_argument(
        "--correction", action="store_true", help="also time a correction (version 2)"
    )
    args = parser.parse_args()
    print("stations  responses  seconds  audit share  figures  hidden by audit  programs  version")
    for stations in (int(s) for s in args.stations.split(",")):
        data = wave(stations, args.per_station)
        started = time.perf_counter()
        publication = publish(data, monitoring=None, released_on=date(2026, 11, 1))
        report(stations, data, publication, time.perf_counter() - started)
        if not args.correction:
            continue
        table = data.units.table
        station = sorted(table.index[table["kind"] == "station"])[0]
        wrong = data.responses["unit"].astype(str).isin(data.units.subtree(station))
        kept = part(data, ~wrong)
        started = time.perf_counter()
        corrected = publish(
            kept,
            monitoring=None,
            released_on=date(2026, 11, 2),
            earlier=Earlier([publication], [part(data, wrong)]),
            reason="benchmark",
        )
        report(stations, kept, corrected, time.perf_counter() - started)


if __name__ == "__main__":
    main()
