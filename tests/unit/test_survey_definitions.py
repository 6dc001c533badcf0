from __future__ import annotations

import textwrap

import pytest

from surveys.equality import CHARACTERISTICS, DERIVED, ETHNIC_GROUPS
from surveys.loader import SurveyCatalog, SurveyFileError, parse_survey
from surveys.model import PREFER_NOT_TO_SAY, QuestionType, SurveyKind


def problems_of(text: str) -> list[str]:
    with pytest.raises(SurveyFileError) as caught:
        parse_survey(textwrap.dedent(text), "s.yaml")
    return [str(p) for p in caught.value.problems]


MINIMAL = """
key: pulse
kind: staff_pulse
title: Pulse
questions:
  - key: q1
    type: likert
    text: Question one
"""


def test_every_bundled_survey_validates(catalog: SurveyCatalog) -> None:
    assert set(catalog.keys()) == {
        "staff_pulse",
        "community_visit",
        "forum_consultation",
        "equality_monitoring",
    }
    kinds = {entry.survey.kind for entry in catalog.entries()}
    assert kinds == set(SurveyKind)


def test_staff_pulse_covers_the_themes_and_ends_with_enps(catalog: SurveyCatalog) -> None:
    pulse = catalog.get("staff_pulse")
    counted = [q for q in pulse.questions if q.type != QuestionType.FREE_TEXT]
    assert 8 <= len(counted) <= 12
    assert any(q.type == QuestionType.SCALE_0_10 and q.key == "enps" for q in pulse.questions)
    assert all(q.tags.frsef for q in pulse.questions)


def test_community_survey_is_short(catalog: SurveyCatalog) -> None:
    community = catalog.get("community_visit")
    assert 5 <= len(community.questions) <= 8
    assert community.kind == SurveyKind.COMMUNITY


def test_monitoring_survey_uses_the_keys_reports_rely_on(catalog: SurveyCatalog) -> None:
    monitoring = catalog.get("equality_monitoring")
    asked = {q.key for q in monitoring.questions}
    assert set(CHARACTERISTICS) - DERIVED <= asked
    assert {"long_term_condition", "condition_impact"} <= asked
    ethnicity = monitoring.question("ethnicity")
    categories = [k for k in ethnicity.option_keys() if k != PREFER_NOT_TO_SAY]
    assert len(categories) == 19
    assert set(categories) == {c for group in ETHNIC_GROUPS.values() for c in group}


def test_every_monitoring_question_is_optional_and_offers_prefer_not_to_say(
    catalog: SurveyCatalog,
) -> None:
    for question in catalog.get("equality_monitoring").questions:
        assert question.equality
        assert question.option_keys()[-1] == PREFER_NOT_TO_SAY


def test_required_questions_do_not_offer_prefer_not_to_say() -> None:
    survey = parse_survey(MINIMAL)
    assert PREFER_NOT_TO_SAY not in survey.question("q1").option_keys()


def test_a_minimal_survey_gets_default_thresholds() -> None:
    survey = parse_survey(MINIMAL)
    assert (survey.thresholds.unit, survey.thresholds.characteristic) == (5, 10)
    assert survey.thresholds.comments == 10


def test_it_reports_every_problem_with_question_and_reason() -> None:
    problems = problems_of(
        """
        key: pulse
        kind: staff_pulse
        title: Pulse
        questions:
          - key: a
            type: likert
            text: A
          - key: a
            type: single_choice
            text: B
            options: [{key: o1, text: One}, {key: o1, text: Again}]
          - key: c
            type: yes_no
            text: C
            show_if: {question: d, values: [yes]}
          - key: d
            type: single_choice
            text: D
            options: [{key: x, text: X}, {key: y, text: Y}]
            show_if: {question: a, values: [bogus]}
          - key: e
            type: likert
            text: E
            show_if: {question: nowhere, values: [agree]}
          - key: f
            type: multiple_choice
            text: F
            max_choices: 3
            options: [{key: x, text: X}, {key: y, text: Y}]
        """
    )
    assert problems == [
        "s.yaml: question 'a': duplicate question key (also question #1)",
        "s.yaml: question 'a': duplicate option key 'o1'",
        "s.yaml: question 'c': show_if refers to a later question 'd'",
        "s.yaml: question 'd': show_if value 'bogus' is not an option of 'a' "
        "(options: strongly_disagree, disagree, neutral, agree, strongly_agree)",
        "s.yaml: question 'e': show_if refers to an unknown question 'nowhere'",
        "s.yaml: question 'f': max_choices is 3 but there are only 2 options",
    ]


def test_missing_english_text_is_refused() -> None:
    problems = problems_of(MINIMAL.replace("text: Question one", "text: {cy: Cwestiwn un}"))
    assert problems == ["s.yaml: question 'q1': text: English text ('en') is required"]


def test_a_threshold_under_five_is_refused() -> None:
    problems = problems_of(MINIMAL + "thresholds: {unit: 3}\n")
    assert len(problems) == 1
    assert "thresholds.unit" in problems[0] and "5" in problems[0]


def test_unknown_type_field_and_tag_are_named() -> None:
    problems = problems_of(
        MINIMAL
        + """  - key: q2
    type: slider
    text: Two
  - key: q3
    type: likert
    text: Three
    colour: red
  - key: q4
    type: likert
    text: Four
    tags: {hmicfrs: [morale]}
"""
    )
    assert any(p.startswith("s.yaml: question 'q2': type:") for p in problems)
    assert "s.yaml: question 'q3': colour: unknown field" in problems[1]
    assert "unknown hmicfrs tag 'morale'" in problems[2]


def test_a_schema_error_does_not_hide_the_other_questions_problems() -> None:
    problems = problems_of(
        """
        key: pulse
        kind: staff_pulse
        title: {cy: Pwls}
        questions:
          - key: a
            type: slider
            text: A
          - key: a
            type: likert
            text: Again
          - key: b
            type: yes_no
            text: B
            show_if: {question: c, values: [yes]}
          - key: c
            type: yes_no
            text: C
          - key: d
            type: likert
            text: D
            show_if: {question: a, values: [agree]}
        """
    )
    assert problems[0] == "s.yaml: survey: title: English text ('en') is required"
    assert problems[1].startswith("s.yaml: question 'a': type:")
    assert problems[2:] == [
        "s.yaml: question 'a': duplicate question key (also question #1)",
        "s.yaml: question 'b': show_if refers to a later question 'c'",
    ]


def test_yes_in_a_condition_is_a_word_not_a_boolean() -> None:
    survey = parse_survey(
        """
key: s
kind: staff_pulse
title: S
questions:
  - {key: a, type: yes_no, text: A}
  - {key: b, type: likert, text: B, show_if: {question: a, values: [yes]}}
"""
    )
    assert survey.question("b").show_if is not None
    assert survey.question("b").show_if.values == ["yes"]


def test_a_repeated_yaml_key_is_refused_with_its_line() -> None:
    problems = problems_of(MINIMAL.replace("title: Pulse", "title: Pulse\ntitle: Again"))
    assert len(problems) == 1
    assert "line 5" in problems[0] and "'title' appears twice" in problems[0]


def test_broken_yaml_is_reported_not_raised() -> None:
    problems = problems_of("key: [unclosed\n")
    assert problems[0].startswith("s.yaml: survey: line ")


def test_monitoring_questions_cannot_be_required() -> None:
    problems = problems_of(
        """
key: mon
kind: monitoring
title: M
questions:
  - {key: sex, type: single_choice, text: Sex, optional: false, options: [{key: female, text: F}, {key: male, text: M}]}
"""
    )
    assert problems == [
        "s.yaml: question 'sex': every equality monitoring question must be optional"
    ]


def test_prefer_not_to_say_is_a_reserved_option_key() -> None:
    problems = problems_of(
        """
key: s
kind: forum
title: S
questions:
  - key: a
    type: single_choice
    text: A
    options: [{key: x, text: X}, {key: prefer_not_to_say, text: Rather not}]
"""
    )
    assert "reserved" in problems[0]


def test_normalised_definition_spells_out_options_and_tags(catalog: SurveyCatalog) -> None:
    data = catalog.get("staff_pulse").normalised()
    first = data["questions"][0]
    assert first["type"] == "likert"
    assert [o["key"] for o in first["options"]][:2] == ["strongly_disagree", "disagree"]
    assert first["tags"]["frsef"] == [1]
    enps = next(q for q in data["questions"] if q["key"] == "enps")
    assert [o["key"] for o in enps["options"]] == [str(i) for i in range(11)]


def test_bundled_surveys_are_fully_translated_into_welsh(catalog: SurveyCatalog) -> None:
    for entry in catalog.entries():
        survey = entry.survey
        texts = [survey.title, survey.intro, survey.thank_you]
        for question in survey.questions:
            texts.append(question.text)
            texts.extend(o.text for o in question.options if any(c.isalpha() for c in o.text["en"]))
        missing = [t["en"] for t in texts if t is not None and "cy" not in t]
        assert missing == [], f"{survey.key}: no Welsh for {missing}"
