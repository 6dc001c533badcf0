"""What the chat shows (bot/screens.py): the unit picker's pages and search, yes/no
questions and answers, without a bot."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot import screens
from bot.keyboards import Btn
from storage.services import UnitInfo
from surveys.dialogue import Phase


def service(stations: int) -> tuple[list[str], dict[str, UnitInfo]]:
    codes = [f"STN{i:02d}" for i in range(1, stations + 1)]
    units = {
        "NFRS": UnitInfo("NFRS", "Northshire", "service", None, ("AREA",)),
        "AREA": UnitInfo("AREA", "North Area", "area", "NFRS", tuple(codes)),
    }
    for code in codes:
        units[code] = UnitInfo(code, f"Station {code[3:]}", "station", "AREA", ())
    return ["NFRS"], units


def presses(keyboard: InlineKeyboardMarkup | None) -> list[tuple[str, str, str]]:
    """Each button as (label, kind, value), row after row."""
    assert keyboard is not None
    found = []
    for row in keyboard.inline_keyboard:
        for key in row:
            data = Btn.unpack(str(key.callback_data))
            found.append((key.text, data.kind, data.value))
    return found


def test_a_long_list_of_units_is_paged_with_previous_and_more() -> None:
    roots, units = service(20)
    first = presses(screens.unit_page(roots, units, "AREA", 0, 7, "en")[1])
    stations = [p for p in first if p[1] == "upick" and p[2].startswith("STN")]
    assert [p[2] for p in stations] == [f"STN{i:02d}" for i in range(1, 9)]
    assert ("More »", "upage", "1") in first and not any(
        p[1] == "upage" and p[2] == "-1" for p in first
    )
    middle = presses(screens.unit_page(roots, units, "AREA", 1, 7, "en")[1])
    assert ("« Previous", "upage", "0") in middle and ("More »", "upage", "2") in middle
    last = presses(screens.unit_page(roots, units, "AREA", 2, 7, "en")[1])
    assert [p[2] for p in last if p[2].startswith("STN")] == ["STN17", "STN18", "STN19", "STN20"]
    assert ("« Previous", "upage", "1") in last and not any(p[0] == "More »" for p in last)


def test_inside_a_unit_one_can_pick_it_or_go_up() -> None:
    roots, units = service(3)
    text, keyboard = screens.unit_page(roots, units, "AREA", 0, 7, "en")
    assert text.startswith("North Area\n\n")
    found = presses(keyboard)
    assert ("✓ North Area", "upick", "AREA") in found
    assert ("« Up", "uopen", "NFRS") in found
    # A unit with units below it opens; the service itself is not a unit one can pick.
    top = presses(screens.unit_page(roots, units, None, 0, 7, "en")[1])
    assert top == [("Northshire »", "uopen", "NFRS")]
    service_level = presses(screens.unit_page(roots, units, "NFRS", 0, 7, "en")[1])
    assert ("North Area »", "uopen", "AREA") in service_level
    assert not any(p[1] == "upick" and p[2] == "NFRS" for p in service_level)


def test_every_button_carries_the_screens_step() -> None:
    roots, units = service(20)
    keyboard = screens.unit_page(roots, units, "AREA", 1, 1234, "en")[1]
    assert keyboard is not None
    steps = {Btn.unpack(str(k.callback_data)).step for r in keyboard.inline_keyboard for k in r}
    assert steps == {1234}


def test_searching_for_a_unit_by_name_or_code() -> None:
    _, units = service(20)
    text, keyboard = screens.unit_search(units, "  stn1", 7, "en")
    labels = [p[2] for p in presses(keyboard)]
    assert labels[:3] == ["STN10", "STN11", "STN12"] and len(labels) == screens.MAX_SEARCH_RESULTS
    assert "stn1" in text
    none_text, none_keyboard = screens.unit_search(units, "Atlantis", 7, "cy")
    assert none_keyboard is None and "Atlantis" in none_text


def test_a_yes_no_question_and_its_answer() -> None:
    text, keyboard = screens.choice(Phase.CONSENT, 9, "en")
    assert presses(keyboard) == [("I agree", "consent", "yes"), ("Not now", "consent", "no")]
    assert screens.chosen(Phase.CONSENT, True, "en") == text + "\n✔ I agree"
    welsh = screens.chosen(Phase.CONSENT, True, "cy")
    assert welsh.endswith("✔ Rwy'n cytuno")
