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
    Question,
    QuestionType,
    Survey,
    SurveyKind,
    mark_equality_questions,
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


def _questions_that_validate(
    raw: dict[str, Any],
) -> tuple[SurveyKind | None, list[Question | None]]:
    """Each question checked on its own, so one broken question does not hide the others'.

    None stands for a question that does not pass the schema (already reported).
    """
    try:
        kind: SurveyKind | None = SurveyKind(str(raw.get("kind")))
    except ValueError:
        kind = None
    questions: list[Question | None] = []
    raw_questions = mark_equality_questions(raw).get("questions")
    for raw_q in raw_questions if isinstance(raw_questions, list) else []:
        try:
            questions.append(Question.model_validate(raw_q))
        except ValidationError:
            questions.append(None)
    return kind, questions


def _semantic_problems(
    file: str,
    raw: dict[str, Any],
    kind: SurveyKind | None,
    questions: Sequence[Question | None],
) -> list[Problem]:
    """Problems the schema cannot see: keys, conditions, options, ordering.

    `questions` lines up with raw["questions"]; None marks a question that did not pass
    the schema, whose key still counts for duplicates and conditions.
    """
    problems: list[Problem] = []

    def add(question: str | None, message: str) -> None:
        problems.append(Problem(file, question, message))

    all_keys = [_question_key_at(raw, i) for i in range(len(questions))]
    seen: dict[str, int] = {}
    for index, q in enumerate(questions):
        raw_q = raw["questions"][index]
        key = all_keys[index]
        if key in seen:
            add(key, f"duplicate question key (also question #{seen[key] + 1})")
        else:
            seen[key] = index
        if q is None:
            continue

        if q.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
            if len(q.options) < 2:
                add(q.key, f"a {q.type.value} question needs at least two options")
            keys = [o.key for o in q.options]
            for option in sorted({k for k in keys if keys.count(k) > 1}):
                add(q.key, f"duplicate option key '{option}'")
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
        if kind == SurveyKind.MONITORING and raw_q.get("optional") is False:
            add(q.key, "every equality monitoring question must be optional")

        if q.show_if is not None:
            target = q.show_if.question
            if target not in seen or seen[target] == index:
                where = "a later" if target in all_keys else "an unknown"
                add(q.key, f"show_if refers to {where} question '{target}'")
                continue
            earlier = questions[seen[target]]
            if earlier is None:
                continue  # its own problems are reported; its options are unknown
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
        q is not None and (q.type in CHOICE_TYPES or q.type == QuestionType.SCALE_0_10)
        for q in questions
    )
    if questions and not countable and all(q is not None for q in questions):
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
        # Report the schema's findings and, for the questions that did pass it, every
        # other problem too, so an author fixes the file in one round.
        problems = _schema_problems(file, raw, exc)
        problems += _semantic_problems(file, raw, *_questions_that_validate(raw))
        raise SurveyFileError(problems) from None
    problems = _semantic_problems(file, raw, survey.kind, survey.questions)
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
