"""Invitations yield to replies sent by other worker processes too (bot/outbox.py
SharedTraffic): the workers share their message counts through Redis."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.asyncio import Redis

from bot.outbox import BUDGET_PER_SECOND, SharedTraffic


@pytest.fixture
async def redis() -> AsyncIterator[Any]:
    url = os.environ.get("FIREVOICE_TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI") == "true":
            raise AssertionError("CI=true but FIREVOICE_TEST_REDIS_URL is not set")
        pytest.skip("set FIREVOICE_TEST_REDIS_URL to run the Redis tests")
    client = Redis.from_url(url)
    yield client
    await client.aclose()


async def test_replies_in_another_worker_hold_invitations_back(redis: Any) -> None:
    prefix = f"firevoice:test-traffic:{secrets.token_hex(4)}"
    replying, sending = SharedTraffic(redis, prefix), SharedTraffic(redis, prefix)
    loop = asyncio.get_running_loop()

    # Nobody busy: an invitation goes at once.
    started = loop.time()
    await sending.room(BUDGET_PER_SECOND)
    assert loop.time() - started < 0.1

    # Another worker answered 20 people in the last moment: the invitation waits for the
    # next second's room, as it would for its own replies.
    for _ in range(20):
        replying.note(reply=True)
    await replying.flush()
    started = loop.time()
    await sending.room(BUDGET_PER_SECOND)
    waited = loop.time() - started
    assert 0.2 < waited < 3

    # A worker's own messages are not counted twice (once locally, once from Redis).
    alone = SharedTraffic(redis, f"{prefix}:alone")
    for _ in range(10):
        alone.note(reply=False)
    await alone.flush()
    assert await alone._others() == 0
    assert alone._used() == 10
