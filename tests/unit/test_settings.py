from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings, resolve_secret_key

RANDOM_KEY = "Zq3vN8pL0xR4mT7yB2cK9wF6hJ1sD5gA-uE_oI"


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


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    settings = load_settings(environment="production", secret_key_file=tmp_path / "missing")
    with pytest.raises(SettingsError, match="FIREVOICE_SECRET_KEY: no secret key") as caught:
        resolve_secret_key(settings)
    assert "FIREVOICE_SECRET_KEY_FILE" in str(caught.value)
    assert not (tmp_path / "missing").exists()  # production never creates a key


def test_production_reads_a_key_mounted_outside_the_data_folder(tmp_path: Path) -> None:
    secrets_dir, data = tmp_path / "run-secrets", tmp_path / "data"
    secrets_dir.mkdir()
    key = secrets_dir / "firevoice_secret_key"
    key.write_text(RANDOM_KEY + "\n")
    key.chmod(0o600)
    settings = load_settings(
        environment="production",
        secret_key_file=key,
        database_url=f"sqlite+aiosqlite:///{data / 'firevoice.db'}",
    )
    assert resolve_secret_key(settings) == RANDOM_KEY.encode()


def test_production_refuses_a_key_file_beside_the_database(tmp_path: Path) -> None:
    key = tmp_path / "firevoice.secret"
    key.write_text(RANDOM_KEY)
    key.chmod(0o600)
    settings = load_settings(
        environment="production",
        secret_key_file=key,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'firevoice.db'}",
    )
    with pytest.raises(SettingsError, match="same folder as the SQLite database"):
        resolve_secret_key(settings)


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("changeme", "placeholder"),
        ("short-but-random", "at least 32"),
        ("s" * 48, "too few different characters"),
        ("ab" * 24, "too few different characters"),
        ("0123456789abcdef" * 3, "repeated pattern"),
    ],
)
def test_weak_secret_keys_are_refused_with_the_cost_of_moving(key: str, reason: str) -> None:
    settings = load_settings(environment="production", secret_key=key)
    with pytest.raises(SettingsError, match=reason) as caught:
        resolve_secret_key(settings)
    message = str(caught.value)
    assert "token_urlsafe" in message  # how to make a new one
    assert "close open waves first" in message  # what moving costs


def test_a_weak_key_in_the_key_file_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "firevoice.secret"
    path.write_text("x" * 64)
    path.chmod(0o600)
    with pytest.raises(SettingsError, match=r"FIREVOICE_SECRET_KEY_FILE .*too weak"):
        resolve_secret_key(load_settings(secret_key_file=path))


@pytest.mark.parametrize("length", [32, 48])
def test_random_keys_are_accepted(length: int) -> None:
    import secrets

    for _ in range(200):
        key = secrets.token_hex(length // 2)
        assert resolve_secret_key(load_settings(secret_key=key)) == key.encode()


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
