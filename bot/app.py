"""The composition root: settings -> secret -> engine -> sessions -> surveys.

`firevoice run` and every CLI command build the application here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.settings import Settings, resolve_secret_key
from storage.batches import Batching
from storage.db import make_engine, make_sessionmaker
from surveys.equality import MONITORING_SURVEY_KEY
from surveys.loader import SurveyCatalog
from surveys.model import Survey
from surveys.sealing import pending_key


@dataclass
class App:
    settings: Settings
    secret: bytes
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    catalog: SurveyCatalog
    batching: Batching

    @property
    def monitoring(self) -> Survey | None:
        """The equality monitoring survey, if the surveys folder has one."""
        return self.survey(MONITORING_SURVEY_KEY)

    def survey(self, key: str) -> Survey | None:
        """A survey of the catalog by key, or None."""
        return self.catalog.get(key) if key in self.catalog else None

    async def close(self) -> None:
        await self.engine.dispose()


def load_catalog(settings: Settings) -> SurveyCatalog:
    return SurveyCatalog.load(settings.surveys_dir)


def build_app(settings: Settings) -> App:
    """Wire the application; raises SettingsError or SurveyFileError with a clear message."""
    secret = resolve_secret_key(settings)
    catalog = load_catalog(settings)
    engine = make_engine(settings.database_url)
    batching = Batching(pending_key(secret), settings.batch_size)
    return App(settings, secret, engine, make_sessionmaker(engine), catalog, batching)
