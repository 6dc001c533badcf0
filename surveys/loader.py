"""Reading survey YAML files and reporting every problem with file, question and reason."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from surveys.model import (
    CHOICE_TYPES,
    PREFER_NOT_TO_SAY,
    QuestionType,
    Survey,
    SurveyKind,
)

BUNDLED_DIR = Path(__file__).parent / "bundled"


@dataclass(frozen=True)
class Problem:
    file: str
    question: str | None
    message: str

    def __str__(self) -> str:
        where = f"question '{self.question}'" if self.question else "survey"
        return f"{self.file}: {where}: {self.message}"


class SurveyFileError(Exception):
    """A survey file could not be loaded; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses repeated keys and reads yes/no/on/off as plain words.

    YAML 1.1 turns `yes` into True, which would make `values: [yes]` in a condition a
    boolean; only true/false are booleans here (as in YAML 1.2).
    """


_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_UniqueKeyLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def _question_key_at(raw: Any, index: Any) -> str:
    try:
        key = raw["questions"][index]["key"]
        if isinstance(key, str):
            return key
    except (KeyError, IndexError, TypeError):
        pass
    return f"#{index + 1}" if isinstance(index, int) else str(index)


def _schema_problems(file: str, raw: Any, error: ValidationError) -> list[Problem]:
    problems = []
    for err in error.errors():
        loc = list(err["loc"])
        question = None
        if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
            question = _question_key_at(raw, loc[1])
            loc = loc[2:]
        # Pydantic adds the validator name for union/annotated members; keep the path readable.
        path = ".".join(str(p) for p in loc if not str(p).startswith("function-"))
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown field (check the spelling against docs/surveys.md)"
        elif err["type"] == "missing":
            message = "required field is missing"
        problems.append(Problem(file, question, f"{path}: {message}" if path else message))
    return problems


def _semantic_problems(file: str, raw: dict[str, Any], survey: Survey) -> list[Problem]:
    problems: list[Problem] = []

    def add(question: str | None, message: str) -> None:
        problems.append(Problem(file, question, message))

    seen: dict[str, int] = {}
    for index, q in enumerate(survey.questions):
        raw_q = raw["questions"][index]
        if q.key in seen:
            add(q.key, f"duplicate question key (also question #{seen[q.key] + 1})")
        else:
            seen[q.key] = index

        if q.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
            if len(q.options) < 2:
                add(q.key, f"a {q.type.value} question needs at least two options")
            keys = [o.key for o in q.options]
            for key in sorted({k for k in keys if keys.count(k) > 1}):
                add(q.key, f"duplicate option key '{key}'")
            if PREFER_NOT_TO_SAY in keys:
                add(
                    q.key,
                    "option key 'prefer_not_to_say' is reserved: it is added automatically "
                    "to optional and equality questions",
                )
        elif q.options:
            add(q.key, f"a {q.type.value} question has fixed answers; remove 'options'")

        if q.max_choices is not None:
            if q.type != QuestionType.MULTIPLE_CHOICE:
                add(q.key, "max_choices applies only to multiple_choice questions")
            elif q.max_choices > len(q.options):
                add(
                    q.key,
                    f"max_choices is {q.max_choices} but there are only {len(q.options)} options",
                )
        if "max_length" in raw_q and q.type != QuestionType.FREE_TEXT:
            add(q.key, "max_length applies only to free_text questions")
        if survey.kind == SurveyKind.MONITORING and raw_q.get("optional") is False:
            add(q.key, "every equality monitoring question must be optional")

        if q.show_if is not None:
            target = q.show_if.question
            if target not in seen or seen[target] == index:
                where = (
                    "a later" if any(x.key == target for x in survey.questions) else "an unknown"
                )
                add(q.key, f"show_if refers to {where} question '{target}'")
                continue
            earlier = survey.questions[seen[target]]
            if earlier.type == QuestionType.FREE_TEXT:
                add(q.key, f"show_if cannot depend on free text question '{target}'")
                continue
            allowed = earlier.option_keys()
            for value in q.show_if.values:
                if str(value) not in allowed:
                    add(
                        q.key,
                        f"show_if value {value!r} is not an option of '{target}' "
                        f"(options: {', '.join(allowed)})",
                    )

    countable = any(
        q.type in CHOICE_TYPES or q.type == QuestionType.SCALE_0_10 for q in survey.questions
    )
    if not countable:
        add(None, "a survey needs at least one question that can be counted")
    return problems


def parse_survey(text: str, file: str = "<string>") -> Survey:
    """Parse and validate one survey document, raising SurveyFileError with every problem."""
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"line {mark.line + 1}: " if mark else ""
        raise SurveyFileError(
            [Problem(file, None, f"{line}not valid YAML: {exc.problem or exc}")]
        ) from None
    except yaml.YAMLError as exc:
        raise SurveyFileError([Problem(file, None, f"not valid YAML: {exc}")]) from None
    if not isinstance(raw, dict):
        raise SurveyFileError(
            [Problem(file, None, "expected a mapping with key, kind, title, questions")]
        )
    try:
        survey = Survey.model_validate(raw)
    except ValidationError as exc:
        raise SurveyFileError(_schema_problems(file, raw, exc)) from None
    problems = _semantic_problems(file, raw, survey)
    if problems:
        raise SurveyFileError(problems)
    return survey


def load_survey_file(path: Path) -> Survey:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SurveyFileError([Problem(str(path), None, f"cannot read file: {exc}")]) from None
    return parse_survey(text, str(path))


def survey_files(directories: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for directory in directories:
        if directory.is_dir():
            files.extend(sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]))
    return files


@dataclass(frozen=True)
class CatalogEntry:
    survey: Survey
    path: Path
    bundled: bool


class SurveyCatalog:
    """Bundled surveys plus those in a configured folder, by key."""

    def __init__(self, entries: dict[str, CatalogEntry]):
        self._entries = entries

    @classmethod
    def load(cls, extra_dir: Path | None = None) -> SurveyCatalog:
        entries: dict[str, CatalogEntry] = {}
        problems: list[Problem] = []
        sources = [(BUNDLED_DIR, True)] + ([(extra_dir, False)] if extra_dir else [])
        for directory, bundled in sources:
            for path in survey_files([directory]):
                try:
                    survey = load_survey_file(path)
                except SurveyFileError as exc:
                    problems.extend(exc.problems)
                    continue
                if survey.key in entries:
                    problems.append(
                        Problem(
                            str(path),
                            None,
                            f"survey key '{survey.key}' is already used by "
                            f"{entries[survey.key].path}",
                        )
                    )
                    continue
                entries[survey.key] = CatalogEntry(survey, path, bundled)
        if problems:
            raise SurveyFileError(problems)
        return cls(entries)

    def keys(self) -> list[str]:
        return sorted(self._entries)

    def entries(self) -> list[CatalogEntry]:
        return [self._entries[k] for k in self.keys()]

    def get(self, key: str) -> Survey:
        try:
            return self._entries[key].survey
        except KeyError:
            known = ", ".join(self.keys()) or "none"
            raise KeyError(f"no survey with key '{key}' (known: {known})") from None

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def monitoring(self) -> Survey | None:
        for entry in self.entries():
            if entry.survey.kind == SurveyKind.MONITORING:
                return entry.survey
        return None
