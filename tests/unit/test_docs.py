"""The documentation's examples must keep working."""

from __future__ import annotations

import re
from pathlib import Path

from surveys.loader import parse_survey
from surveys.organisation import check_tree, parse_org_csv

ROOT = Path(__file__).resolve().parents[2]


def blocks(path: Path, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


def test_the_example_in_docs_surveys_is_a_valid_survey() -> None:
    [example] = blocks(ROOT / "docs" / "surveys.md", "yaml")
    survey = parse_survey(example, "docs/surveys.md")
    assert survey.key == "station_open_day"
    assert survey.title["cy"] == "Diwrnod agored yr orsaf"


def test_the_organisation_example_in_the_readme_imports_cleanly() -> None:
    [example] = blocks(ROOT / "README.md", "csv")
    rows, problems = parse_org_csv(example)
    assert problems == []
    assert check_tree(rows, {}) == []
