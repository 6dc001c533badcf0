"""Several bot processes behind one webhook port, sharing PostgreSQL and Redis."""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.conftest import _reset_postgres
from tests.e2e.conftest import BotProcess, Service, bot_env, new_service, start_webhook
from tests.e2e.fake_telegram import FakeTelegram, Person
from tests.e2e.helpers import answer_everything, open_link_and_start


def setting(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        if os.environ.get("CI") == "true":
            raise AssertionError(f"CI=true but {name} is not set")
        pytest.skip(f"set {name} to run the several-workers test")
    return value


@pytest.fixture
async def pg_service(tmp_path: Path) -> AsyncIterator[Service]:
    url = setting("FIREVOICE_TEST_DATABASE_URL")
    await _reset_postgres(url)
    service = await new_service(url, tmp_path)
    yield service
    await service.close()


async def test_two_webhook_workers_share_one_port_and_each_persons_order(
    telegram: FakeTelegram, pg_service: Service, tmp_path: Path, unused_tcp_port: int
) -> None:
    from redis.asyncio import Redis

    redis_url = setting("FIREVOICE_TEST_REDIS_URL")
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    await pg_service.open("staff_pulse")
    api_url = f"http://127.0.0.1:{telegram.port}"
    env = bot_env(api_url, pg_service, tmp_path, FIREVOICE_REDIS_URL=redis_url)
    process = BotProcess(telegram, api_url, tmp_path, env)
    public = f"http://127.0.0.1:{unused_tcp_port}"  # the fake Bot API delivers to it
    await start_webhook(process, unused_tcp_port, public, "--workers", "2")
    try:
        for _ in range(300):
            if "worker 2 of 2" in process.output() and telegram.webhook is not None:
                break
            await asyncio.sleep(0.1)
        assert "worker 1 of 2" in process.output() and "worker 2 of 2" in process.output()
        people = [Person(telegram) for _ in range(12)]

        async def take_part(person: Person) -> None:
            await open_link_and_start(person, pg_service.link("staff_pulse", "STN01-RED"))
            await person.expect("Question 1 of")
            await answer_everything(person)

        await asyncio.gather(*(take_part(p) for p in people))
        # Double taps, each delivered to the workers at the same moment: one counts.
        for _ in range(3):
            person = Person(telegram)
            await open_link_and_start(person, pg_service.link("staff_pulse", "STN01-WHITE"))
            first = await person.expect("Question 1 of")
            _, data = person.find_button("Agree", first)
            taps = [person.callback_update(first, data) for _ in range(2)]
            ids = {tap["callback_query"]["id"] for tap in taps}
            await asyncio.gather(*(person.send_raw(tap) for tap in taps))

            def answered(ids: set[str] = ids) -> list[str]:
                return [
                    str(c.params.get("text"))
                    for c in telegram.calls_of("answerCallbackQuery")
                    if c.params.get("callback_query_id") in ids
                ]

            await telegram.wait_until(lambda: len(answered()) == 2)
            assert sorted(answered()) == ["None", "That question has already been answered."]
            await person.expect("Question 2 of")
            assert sum("Question 2 of" in m.text for m in person.chat) == 1
    finally:
        await process.stop()
        await redis.flushdb()
        await redis.aclose()
    # Everyone's answers were stored once, in order, whichever worker took each tap...
    assert await pg_service.rows("SELECT count(*) FROM participations") == [(12,)]
    assert await pg_service.rows("SELECT count(*) FROM responses") == [(12,)]
    # ...and both workers took some of them.
    served = re.findall(
        r"aiohttp\.access\[(\d+)\]: .*POST /telegram HTTP/1\.1\" 200", process.output()
    )
    assert len(set(served)) == 2
    assert all(status == 200 for status in telegram.webhook_statuses)
