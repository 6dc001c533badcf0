"""What a role may see: the released waves that cover it, and their publications.

Shared by the chat's /results (bot/results.py) and the dashboard (web/app.py). A wave is
shown to a role if its survey's kind is one the role may see and the role's unit was in
the wave's organisation as its publication recorded it; a scope is the role's unit or a
unit below it there (surveys/access.py has the rules).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from analysis.publication import Publication
from analysis.release import read_publication
from storage.models import Wave
from storage.services import open_waves
from storage.uow import UnitOfWork
from surveys.access import Grant, may_see_survey, subtree
from surveys.model import SurveyKind
from surveys.text import localise

MAX_WAVES = 12
_CACHED = 16
# Publications never change once stored: keep the last few read, by their row id.
_publications: OrderedDict[int, Publication] = OrderedDict()


def wave_title(wave: Wave, language: str) -> str:
    """The wave's survey title as frozen when it opened, in `language`."""
    title = (wave.definition or {}).get("title")
    return localise(title, language) if isinstance(title, dict) else wave.survey_key


@dataclass(frozen=True)
class Released:
    wave: Wave
    publication: Publication

    def title(self, language: str) -> str:
        return wave_title(self.wave, language)

    def parents(self) -> dict[str, str | None]:
        return {u.code: u.parent for u in self.publication.units}

    def in_scope(self, grant: Grant, scope: str) -> bool:
        return scope in subtree(self.parents(), grant.unit)


def _kind(wave: Wave) -> SurveyKind | None:
    try:
        return SurveyKind(str((wave.definition or {}).get("kind")))
    except ValueError:
        return None


def may_see_wave(grant: Grant, wave: Wave) -> bool:
    """Whether the role may see the wave's survey at all (its kind)."""
    kind = _kind(wave)
    return kind is not None and may_see_survey(grant.role, kind)


async def _publication(uow: UnitOfWork, publication_id: int) -> Publication | None:
    cached = _publications.get(publication_id)
    if cached is not None:
        _publications.move_to_end(publication_id)
        return cached
    row = await uow.publications.document(publication_id)
    if row is None:
        return None
    publication = read_publication(row)
    _publications[publication_id] = publication
    while len(_publications) > _CACHED:
        _publications.popitem(last=False)
    return publication


async def covering_waves(
    uow: UnitOfWork, grant: Grant, survey_key: str | None = None, *, limit: int = MAX_WAVES
) -> list[Released]:
    """The released waves the role may see, newest first (at most `limit`)."""
    out: list[Released] = []
    for wave, publication_id in reversed(await uow.publications.in_force()):
        if not may_see_wave(grant, wave) or (
            survey_key is not None and wave.survey_key != survey_key
        ):
            continue
        publication = await _publication(uow, publication_id)
        if publication is not None and grant.unit in {u.code for u in publication.units}:
            out.append(Released(wave, publication))
            if len(out) >= limit:
                break
    return out


async def covering_open_waves(uow: UnitOfWork, grant: Grant, *, today: date) -> list[Wave]:
    """Open waves the role may follow (/progress): its survey kind, and the role's unit in
    the wave's organisation as it opened."""
    out = []
    for wave in await open_waves(uow, today=today):
        if may_see_wave(grant, wave) and await uow.waves.org_unit(wave.id, grant.unit):
            out.append(wave)
    return out


async def covering(uow: UnitOfWork, grant: Grant, wave_id: int) -> Released | None:
    """The wave, if the role may see it."""
    for wave, publication_id in await uow.publications.in_force():
        if wave.id != wave_id:
            continue
        if not may_see_wave(grant, wave):
            return None
        publication = await _publication(uow, publication_id)
        if publication is None or grant.unit not in {u.code for u in publication.units}:
            return None
        return Released(wave, publication)
    return None
