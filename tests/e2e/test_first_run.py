"""A first run with no bot token: `firevoice run` starts the dashboard alone, prints a
one-time administrator sign-in link and says how to add the bot."""

from __future__ import annotations

import asyncio
import os
import re
import signal
from pathlib import Path

from aiohttp import ClientSession, CookieJar

from tests.e2e.conftest import FIREVOICE, released_service


async def first_run(workdir: Path, port: int, *args: str) -> tuple[asyncio.subprocess.Process, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIREVOICE_")}
    env.update(
        FIREVOICE_DATABASE_URL=f"sqlite+aiosqlite:///{workdir / 'firevoice.db'}",
        FIREVOICE_SECRET_KEY_FILE=str(workdir / "firevoice.secret"),
        FIREVOICE_DASHBOARD_PORT=str(port),
    )
    process = await asyncio.create_subprocess_exec(
        FIREVOICE, "run", *args, cwd=workdir, env=env,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    assert process.stdout is not None
    lines = []
    while True:
        line = (await asyncio.wait_for(process.stdout.readline(), 120)).decode()
        assert line, "".join(lines)
        lines.append(line)
        if "Press Ctrl+C" in line:
            return process, "".join(lines)


async def stop(process: asyncio.subprocess.Process) -> None:
    process.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(process.wait(), 30) == 0


async def test_an_empty_database_without_a_token_says_what_to_do(
    tmp_path: Path, unused_tcp_port: int
) -> None:
    process, said = await first_run(tmp_path, unused_tcp_port, "--no-demo")
    try:
        assert "No bot token is set" in said
        assert "firevoice org import" in said
        assert "nobody to sign in as" in said
        assert "https://t.me/BotFather" in said and "FIREVOICE_BOT_TOKEN" in said
    finally:
        await stop(process)


async def test_the_printed_link_signs_the_administrator_in_once(
    tmp_path: Path, unused_tcp_port: int, released_template: Path
) -> None:
    svc = await released_service(tmp_path, released_template)
    await svc.close()
    process, said = await first_run(tmp_path, unused_tcp_port)
    try:
        assert "Loading the synthetic demo" not in said  # not empty: nothing offered
        link = re.search(r"http://127\.0\.0\.1:\d+/dashboard/signin\?t=([A-Za-z0-9_-]+)", said)
        assert link, said
        base = f"http://127.0.0.1:{unused_tcp_port}"
        async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as browser:
            data = {"t": link.group(1)}
            async with browser.post(f"{base}/dashboard/signin", data=data) as page:
                text = await page.text()
                assert page.status == 200
                assert "Administrator (terminal)" in text and "Northshire" in text
            async with browser.get(f"{base}/dashboard/audit") as audit:
                assert audit.status == 200
        async with (
            ClientSession() as other,
            other.post(f"{base}/dashboard/signin", data=data) as again,
        ):
            assert again.status == 410
    finally:
        await stop(process)
