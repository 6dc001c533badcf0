"""Survey definitions: the schema a YAML survey file must follow, and its normalised form."""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from surveys.frameworks import (
    CORE_CODE_PRINCIPLES,
    EQUALITY_STANDARD_AREAS,
    FRSEF_AREAS,
    HMICFRS_AREAS,
)
from surveys.text import Text, normalise_text

KEY_PATTERN = r"^[a-z][a-z0-9_]{0,31}$"
PREFER_NOT_TO_SAY = "prefer_not_to_say"

LocalText = Annotated[Text, BeforeValidator(normalise_text)]
Key = Annotated[str, Field(pattern=KEY_PATTERN)]

# Minimum group sizes from the disclosure-control rules; nothing may go below the floor.
MIN_THRESHOLD = 5
MIN_COMMENT_THRESHOLD = 10


class QuestionType(StrEnum):
    LIKERT = "likert"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    SCALE_0_10 = "scale_0_10"
    YES_NO = "yes_no"
    FREE_TEXT = "free_text"


class SurveyKind(StrEnum):
    STAFF_PULSE = "staff_pulse"
    COMMUNITY = "community"
    FORUM = "forum"
    MONITORING = "monitoring"


CHOICE_TYPES = {
    QuestionType.LIKERT,
    QuestionType.SINGLE_CHOICE,
    QuestionType.MULTIPLE_CHOICE,
    QuestionType.YES_NO,
}

LIKERT_OPTIONS: tuple[tuple[str, Text], ...] = (
    ("strongly_disagree", {"en": "Strongly disagree", "cy": "Anghytuno'n gryf"}),
    ("disagree", {"en": "Disagree", "cy": "Anghytuno"}),
    ("neutral", {"en": "Neither agree nor disagree", "cy": "Dim yn cytuno nac yn anghytuno"}),
    ("agree", {"en": "Agree", "cy": "Cytuno"}),
    ("strongly_agree", {"en": "Strongly agree", "cy": "Cytuno'n gryf"}),
)
FAVOURABLE = frozenset({"agree", "strongly_agree"})
YES_NO_OPTIONS: tuple[tuple[str, Text], ...] = (
    ("yes", {"en": "Yes", "cy": "Ie"}),
    ("no", {"en": "No", "cy": "Na"}),
)
PREFER_NOT_TO_SAY_TEXT: Text = {
    "en": "Prefer not to say",
    "cy": "Mae'n well gennyf beidio â dweud",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    key: Key
    text: LocalText


class Condition(_Strict):
    """Show a question only when an earlier question was answered with one of these values."""

    question: Key
    values: list[str | int] = Field(min_length=1)


class Tags(_Strict):
    frsef: list[Literal[1, 2, 3, 4, 5]] = Field(default_factory=list)
    hmicfrs: list[str] = Field(default_factory=list)
    core_code: list[str] = Field(default_factory=list)
    equality_standard: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_areas(self) -> Tags:
        checks = (
            ("hmicfrs", self.hmicfrs, HMICFRS_AREAS),
            ("core_code", self.core_code, CORE_CODE_PRINCIPLES),
            ("equality_standard", self.equality_standard, EQUALITY_STANDARD_AREAS),
        )
        for name, values, known in checks:
            for value in values:
                if value not in known:
                    raise ValueError(f"unknown {name} tag {value!r} (known: {', '.join(known)})")
        return self

    def labels(self) -> dict[str, list[str]]:
        return {
            "frsef": [FRSEF_AREAS[a] for a in self.frsef],
            "hmicfrs": [HMICFRS_AREAS[a] for a in self.hmicfrs],
            "core_code": [CORE_CODE_PRINCIPLES[a] for a in self.core_code],
            "equality_standard": [EQUALITY_STANDARD_AREAS[a] for a in self.equality_standard],
        }


class Question(_Strict):
    key: Key
    type: QuestionType
    text: LocalText
    help: LocalText | None = None
    optional: bool = False
    options: list[Option] = Field(default_factory=list)
    max_choices: int | None = Field(default=None, ge=1)
    max_length: int = Field(default=1000, ge=1, le=4000)
    show_if: Condition | None = None
    tags: Tags = Field(default_factory=Tags)
    # Set by Survey for equality questions; authors never write it.
    equality: bool = False

    @property
    def offers_prefer_not_to_say(self) -> bool:
        """Optional and equality questions offer "Prefer not to say" (free text only a skip)."""
        return (self.optional or self.equality) and self.type != QuestionType.FREE_TEXT

    @cached_property
    def choice_options(self) -> tuple[Option, ...]:
        """The options a person picks from, in order, including "Prefer not to say"."""
        if self.type == QuestionType.LIKERT:
            pairs: list[tuple[str, Text]] = list(LIKERT_OPTIONS)
        elif self.type == QuestionType.YES_NO:
            pairs = list(YES_NO_OPTIONS)
        elif self.type == QuestionType.SCALE_0_10:
            pairs = [(str(i), {"en": str(i)}) for i in range(11)]
        else:
            pairs = [(o.key, o.text) for o in self.options]
        if self.offers_prefer_not_to_say:
            pairs.append((PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_TEXT))
        # Built-in keys such as "0".."10" are not author keys, so skip validation.
        return tuple(Option.model_construct(key=k, text=t) for k, t in pairs)

    @cached_property
    def option_key_list(self) -> tuple[str, ...]:
        return tuple(o.key for o in self.choice_options)

    def choices(self) -> list[Option]:
        return list(self.choice_options)

    def option_keys(self) -> list[str]:
        return list(self.option_key_list)


class Thresholds(_Strict):
    """Minimum group sizes (docs/privacy.md, rule 1)."""

    unit: int = Field(default=5, ge=MIN_THRESHOLD)
    characteristic: int = Field(default=10, ge=MIN_THRESHOLD)
    comments: int = Field(default=10, ge=MIN_COMMENT_THRESHOLD)


def mark_equality_questions(data: Any) -> Any:
    """Raw survey data with every question of the monitoring survey marked as equality."""
    if isinstance(data, dict) and data.get("kind") == SurveyKind.MONITORING.value:
        questions = data.get("questions")
        if isinstance(questions, list):
            data = dict(data)
            data["questions"] = [
                {**q, "equality": True} if isinstance(q, dict) else q for q in questions
            ]
    return data


class Survey(_Strict):
    key: Key
    kind: SurveyKind
    title: LocalText
    intro: LocalText | None = None
    thank_you: LocalText | None = None
    thresholds: Thresholds = Field(default_factory=Thresholds)
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _mark_equality_questions(cls, data: Any) -> Any:
        return mark_equality_questions(data)

    def question(self, key: str) -> Question:
        for q in self.questions:
            if q.key == key:
                return q
        raise KeyError(key)

    def index_of(self, key: str) -> int:
        for i, q in enumerate(self.questions):
            if q.key == key:
                return i
        raise KeyError(key)

    def normalised(self) -> dict[str, Any]:
        """The definition as plain JSON-ready data, with every option spelled out."""
        return {
            "key": self.key,
            "kind": self.kind.value,
            "title": self.title,
            "intro": self.intro,
            "thank_you": self.thank_you,
            "thresholds": self.thresholds.model_dump(),
            "questions": [
                {
                    "key": q.key,
                    "type": q.type.value,
                    "text": q.text,
                    "help": q.help,
                    "optional": q.optional,
                    "equality": q.equality,
                    "options": [{"key": o.key, "text": o.text} for o in q.choices()],
                    "max_choices": q.max_choices,
                    "max_length": q.max_length if q.type == QuestionType.FREE_TEXT else None,
                    "show_if": q.show_if.model_dump() if q.show_if else None,
                    "tags": q.tags.model_dump(),
                }
                for q in self.questions
            ],
        }
