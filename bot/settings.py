"""Settings from FIREVOICE_* environment variables and an optional .env file."""

from __future__ import annotations

import math
import os
import secrets
import stat
from collections import Counter
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.db import sqlite_path
from surveys.cadence import DEFAULT_REMINDERS, CadenceError, parse_reminders

ENV_PREFIX = "FIREVOICE_"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./firevoice.db"
DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org"
PLACEHOLDER_SECRETS = frozenset(
    {"changeme", "change-me", "change_me", "changethis", "secret", "password", "example", "test"}
)
MIN_SECRET_LENGTH = 32


class SettingsError(Exception):
    """Settings that cannot be used; the message names the variable and what is wrong."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    environment: Literal["development", "production"] = "development"
    bot_token: SecretStr | None = None
    bot_username: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    telegram_api_url: str = DEFAULT_TELEGRAM_API_URL
    secret_key: SecretStr | None = None
    secret_key_file: Path = Path("firevoice.secret")
    redis_url: str | None = None
    surveys_dir: Path | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    default_language: str = Field(default="en", pattern=r"^[a-z]{2,3}$")
    # Retention: unfinished conversations (and participation records of closed waves),
    # and what is kept about a person (consent, contact, equality profile) after last use.
    retention_conversation_days: int = Field(default=30, ge=1, le=3650)
    retention_person_days: int = Field(default=365, ge=30, le=3650)
    # Chat responses are written to the results tables in shuffled batches of at least this
    # many per unit (never fewer than the wave's unit threshold): see storage/batches.py.
    batch_size: int = Field(default=10, ge=5, le=1000)
    # How often the bot checks for waves to open (schedules) and close; days are UK days.
    housekeeping_minutes: int = Field(default=5, ge=1, le=60)
    # Invitations sent per second at most (Telegram allows about 30 for bulk messages; the
    # rest is left for replies), and days a sent message's record is kept.
    outbox_per_second: float = Field(default=26, gt=0, le=27)
    outbox_keep_days: int = Field(default=30, ge=1, le=365)
    # Days the access log (every view and download of results by a role holder) is kept,
    # and ended dashboard sessions with it.
    audit_keep_days: int = Field(default=730, ge=30, le=3650)
    # The web dashboard: its public address (unset: no dashboard), where it listens when
    # the bot uses long polling (with a webhook it shares the webhook's server), and how
    # long a sign-in lasts.
    dashboard_url: str | None = None
    dashboard_host: str = "127.0.0.1"
    dashboard_port: int = Field(default=8080, ge=1, le=65535)
    dashboard_session_hours: int = Field(default=8, ge=1, le=24)
    # Sign-in to the dashboard through the service's identity provider (OpenID Connect,
    # e.g. Microsoft Entra ID: https://login.microsoftonline.com/<tenant>/v2.0), for roles
    # granted to e-mail addresses. The redirect URI to register is
    # <FIREVOICE_DASHBOARD_URL>/dashboard/oidc/callback.
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_email_claim: str = "email"

    @model_validator(mode="after")
    def _oidc_complete(self) -> Settings:
        if self.oidc_issuer and not (self.oidc_client_id and self.oidc_client_secret):
            raise ValueError(
                "FIREVOICE_OIDC_ISSUER is set, so FIREVOICE_OIDC_CLIENT_ID and "
                "FIREVOICE_OIDC_CLIENT_SECRET (from the app registration) are needed too"
            )
        if self.oidc_issuer and not self.dashboard_url:
            raise ValueError(
                "FIREVOICE_OIDC_ISSUER is set but FIREVOICE_DASHBOARD_URL is not: the "
                "identity provider returns people to the dashboard's address"
            )
        return self

    @model_validator(mode="after")
    def _dashboard_over_https(self) -> Settings:
        if (
            self.environment == "production"
            and self.dashboard_url
            and not self.dashboard_url.startswith("https://")
        ):
            raise ValueError(
                "FIREVOICE_DASHBOARD_URL must start with https:// in production: the sign-in "
                "cookie is sent over HTTPS only"
            )
        return self

    @field_validator("dashboard_url")
    @classmethod
    def _dashboard_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("https://", "http://")) or not value.split("://", 1)[1]:
            raise ValueError(
                "must be the dashboard's public address, e.g. https://results.example.org"
            )
        return value

    # When people invited to a wave who have not answered are reminded: "halfway" through
    # the wave and/or numbers of days before it closes; empty for no reminders.
    reminders: str = DEFAULT_REMINDERS

    @field_validator("reminders")
    @classmethod
    def _reminders(cls, value: str) -> str:
        try:
            parse_reminders(value)
        except CadenceError as error:
            raise ValueError(str(error)) from None
        return value

    @field_validator("oidc_issuer")
    @classmethod
    def _oidc_issuer(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be the identity provider's issuer URL (https://...)")
        return value

    @field_validator(
        "bot_token",
        "secret_key",
        "redis_url",
        "bot_username",
        "oidc_client_id",
        "oidc_client_secret",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        value = value.strip()
        # Accept the URLs people copy from hosting dashboards and pick the async driver.
        for plain, driver in (
            ("postgres://", "postgresql+asyncpg://"),
            ("postgresql://", "postgresql+asyncpg://"),
            ("sqlite://", "sqlite+aiosqlite://"),
        ):
            if value.startswith(plain):
                value = driver + value.removeprefix(plain)
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "must be an SQLite URL (sqlite+aiosqlite:///path/to/file.db) or a PostgreSQL "
                "URL (postgresql+asyncpg://user@host:5432/dbname)"
            )
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")) or len(value.split("://", 1)[1]) == 0:
            raise ValueError("must be an http:// or https:// URL of a Bot API server")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a redis://host:port/db URL")
        return value

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            head, _, tail = value.get_secret_value().partition(":")
            if not head.isdigit() or len(tail) < 20:
                raise ValueError(
                    "does not look like a bot token (it should look like 123456789:AA...; "
                    "get one from @BotFather in Telegram)"
                )
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_directory(self) -> Path | None:
        """The folder holding the SQLite database file, if the database is SQLite."""
        path = sqlite_path(self.database_url)
        return path.resolve().parent if path is not None else None


def load_settings(**overrides: object) -> Settings:
    """Build Settings, turning validation errors into one message per variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "?"
            message = err["msg"].removeprefix("Value error, ")
            lines.append(f"{ENV_PREFIX}{field.upper()}: {message}")
        raise SettingsError("invalid settings:\n  " + "\n  ".join(lines)) from None


KEY_HELP = "create one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
MIN_SECRET_BITS = 90
MOVING_COST = (
    "Moving to a new key costs this: close open waves first, or people can answer them a "
    "second time; stored equality profiles and contact chat ids can no longer be opened "
    "(people are asked again, and cannot be invited until they next use the bot); survey "
    "links and QR codes must be made again. Results already collected and published are "
    "not affected (README, 'Moving to a new secret key')."
)


def key_weakness(value: str) -> str | None:
    """Why a secret key is too weak to use, or None if it is fine.

    Besides length, the key's characters are counted: a value such as one character
    repeated, or a short pattern repeated, is long but guessable. The estimate (observed
    character frequencies times length) is generous to random keys: 32 random hex digits
    score about 120 bits, a token_urlsafe(48) key about 350. A pattern repeated to length
    is caught by its few distinct three-character runs.
    """
    if value.lower() in PLACEHOLDER_SECRETS:
        return "it is a placeholder"
    if len(value) < MIN_SECRET_LENGTH:
        return f"it has {len(value)} characters; at least {MIN_SECRET_LENGTH} are needed"
    counts = Counter(value)
    entropy = -sum(c / len(value) * math.log2(c / len(value)) for c in counts.values())
    if len(counts) < 8 or entropy * len(value) < MIN_SECRET_BITS:
        return "it is too regular to be secret: too few different characters"
    # A short pattern repeated has varied characters but few different three-letter runs.
    runs = {value[i : i + 3] for i in range(len(value) - 2)}
    if len(runs) < 0.6 * (len(value) - 2):
        return "it is too regular to be secret: a repeated pattern"
    return None


def _checked(value: str, origin: str) -> bytes:
    weakness = key_weakness(value)
    if weakness is not None:
        raise SettingsError(
            f"{origin}: the secret key is too weak ({weakness}). It must be a random value "
            f"of at least {MIN_SECRET_LENGTH} characters, not a placeholder; {KEY_HELP}. "
            + MOVING_COST
        )
    return value.encode()


def resolve_secret_key(settings: Settings) -> bytes:
    """The key behind pseudonyms, sealed fields and link signatures.

    From FIREVOICE_SECRET_KEY, or else from the key file. In production the file must
    already exist (for example a mounted secret under /run/secrets) and must not sit beside
    the SQLite database, where one backup would hold both the data and the key that opens
    it; nothing is ever created. In development a key is created on first use, in a file
    only its owner can read, so pseudonyms stay stable across restarts.
    """
    if settings.secret_key is not None:
        return _checked(settings.secret_key.get_secret_value(), f"{ENV_PREFIX}SECRET_KEY")
    path = settings.secret_key_file
    if settings.environment == "production":
        if not path.exists():
            raise SettingsError(
                f"{ENV_PREFIX}SECRET_KEY: no secret key. In production set "
                f"{ENV_PREFIX}SECRET_KEY, or mount the key as a file outside the data volume "
                f"and point {ENV_PREFIX}SECRET_KEY_FILE at it (now {path}, which does not "
                f"exist); {KEY_HELP}. Keep it out of the database's backups."
            )
        database_dir = settings.sqlite_directory
        if database_dir is not None and path.resolve().parent == database_dir:
            raise SettingsError(
                f"{ENV_PREFIX}SECRET_KEY_FILE: {path} is in the same folder as the SQLite "
                "database, so one backup of that folder would hold both the data and the "
                "key that opens it. Mount the key elsewhere (for example /run/secrets/) or "
                f"set {ENV_PREFIX}SECRET_KEY"
            )
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise SettingsError(
                f"{ENV_PREFIX}SECRET_KEY_FILE: {path} can be read by other users "
                f"(mode {mode:o}); run: chmod 600 {path}"
            )
        try:
            value = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise SettingsError(f"{ENV_PREFIX}SECRET_KEY_FILE: cannot read {path}: {exc}") from None
        return _checked(value, f"{ENV_PREFIX}SECRET_KEY_FILE ({path})")
    value = secrets.token_urlsafe(48)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Create with owner-only permissions from the start rather than chmod afterwards.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value.encode()
