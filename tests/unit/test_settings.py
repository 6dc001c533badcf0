from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings, resolve_secret_key


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("FIREVOICE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_use_embedded_sqlite_and_the_official_bot_api() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///./firevoice.db"
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.bot_token is None


def test_an_invalid_setting_names_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIREVOICE_DATABASE_URL", "mysql://root@localhost/x")
    monkeypatch.setenv("FIREVOICE_TELEGRAM_API_URL", "ftp://nope")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert "FIREVOICE_DATABASE_URL: must be an SQLite URL" in message
    assert "FIREVOICE_TELEGRAM_API_URL: must be an http:// or https:// URL" in message


def test_a_malformed_token_is_refused_with_where_to_get_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FIREVOICE_BOT_TOKEN", "not-a-token")
    with pytest.raises(SettingsError, match=r"FIREVOICE_BOT_TOKEN: .*@BotFather"):
        load_settings()


def test_plain_postgres_urls_get_the_async_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIREVOICE_DATABASE_URL", "postgres://u@db:5432/firevoice")
    assert load_settings().database_url == "postgresql+asyncpg://u@db:5432/firevoice"


def test_settings_can_come_from_a_dotenv_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("FIREVOICE_BOT_USERNAME=northshire_fire_bot\n")
    assert load_settings().bot_username == "northshire_fire_bot"


def test_production_refuses_to_start_without_a_secret_key() -> None:
    settings = load_settings(environment="production")
    with pytest.raises(SettingsError, match="FIREVOICE_SECRET_KEY: required in production"):
        resolve_secret_key(settings)


@pytest.mark.parametrize("placeholder", ["changeme", "secret", "short-but-random"])
def test_placeholder_secret_keys_are_refused(placeholder: str) -> None:
    settings = load_settings(environment="production", secret_key=placeholder)
    with pytest.raises(SettingsError, match="not a placeholder"):
        resolve_secret_key(settings)


def test_development_creates_a_private_key_file_and_reuses_it(tmp_path: Path) -> None:
    settings = load_settings(secret_key_file=tmp_path / "keys" / "firevoice.secret")
    first = resolve_secret_key(settings)
    path = tmp_path / "keys" / "firevoice.secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 32
    assert resolve_secret_key(settings) == first


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "firevoice.secret"
    path.write_text("x" * 64)
    path.chmod(0o644)
    with pytest.raises(SettingsError, match="chmod 600"):
        resolve_secret_key(load_settings(secret_key_file=path))
