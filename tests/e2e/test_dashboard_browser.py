"""The dashboard in a real browser (Debian's Chromium driven by Playwright), signed in
through the chat: a station manager sees only their scope, cannot reach another unit by
editing the address, downloads a file, and sees a small group's cells hidden."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.conftest import DashboardBot
from tests.e2e.fake_telegram import BOT_USERNAME, FakeTelegram, Person

CHROMIUM = os.environ.get("FIREVOICE_TEST_CHROMIUM") or shutil.which("chromium")
# axe-core's rules for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
INSTALL = "install it with: sudo apt-get install chromium (Debian/Ubuntu)"


async def assert_accessible(page: object, what: str) -> None:
    """axe-core finds no WCAG 2.2 A/AA violation on the page as it stands."""
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]}
    )
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


@pytest.fixture
async def browser() -> AsyncIterator[object]:
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"CI=true but Chromium is missing; {INSTALL}")
        pytest.skip(f"browser tests need Chromium; {INSTALL}")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield launched
        finally:
            await launched.close()


async def test_a_manager_signs_in_from_the_chat_and_sees_only_their_station(
    browser: object, telegram: FakeTelegram, dashboard_bot: DashboardBot, tmp_path: Path
) -> None:
    from playwright.async_api import Browser, expect

    assert isinstance(browser, Browser)
    base = dashboard_bot.base
    made = dashboard_bot.cli(
        "role", "invite", "--role", "manager", "--unit", "STN01", "--label", "Ashford SM",
        "--bot", BOT_USERNAME,
    )  # fmt: skip
    payload = re.search(r"start=([A-Za-z0-9_-]+)", made.stdout)
    assert payload, made.stderr
    manager = Person(telegram, name="Alex")
    await manager.say(f"/start {payload.group(1)}")
    await manager.say("/dashboard")
    link = re.search(r"http://\S+/dashboard/signin\?t=\S+", manager.last().text)
    assert link

    context = await browser.new_context(
        accept_downloads=True, viewport={"width": 390, "height": 844}
    )
    page = await context.new_page()
    await page.goto(link.group(0))
    await assert_accessible(page, "sign-in page")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Pulse Q3: Ashford")
    await assert_accessible(page, "overview")

    # Only their own scope is offered.
    options = await page.locator("#unit option").all_inner_texts()
    assert [o.strip() for o in options] == [
        "Ashford",
        "Ashford Red Watch",
        "Ashford White Watch",
    ]

    # A small group's cells are hidden in the page, not shown as numbers.
    await page.get_by_role("link", name="Units and questions").click()
    white = page.get_by_role("row", name=re.compile("Ashford White Watch"))
    cells = await white.locator("td").all_inner_texts()
    assert cells and all(c.strip() == "hidden" for c in cells)
    # (Red Watch is hidden too, or station minus Red Watch would give White Watch.)
    station = page.get_by_role("row", name=re.compile(r"^Ashford\b(?! (Red|White))"))
    shown = await station.locator("td").all_inner_texts()
    assert any(re.match(r"\d+%", c.strip()) for c in shown)

    # Another unit by editing the address: refused.
    answer = await page.goto(f"{base}/dashboard/heatmap?unit=S-AREA")
    assert answer is not None and answer.status == 403
    await expect(page.get_by_role("status")).to_contain_text("outside what your role covers")

    # A download.
    await page.goto(f"{base}/dashboard/downloads")
    async with page.expect_download() as info:
        await page.get_by_role("link", name="Data (CSV)").click()
    download = await info.value
    saved = tmp_path / download.suggested_filename
    await download.save_as(saved)
    assert download.suggested_filename == "staff_pulse-wave2-STN01.csv"
    assert saved.read_text().startswith("survey,wave,question")

    # The report as a web page, opened from the file as someone would after downloading it.
    async with page.expect_download() as info:
        await page.get_by_role("link", name="Web page (HTML)").click()
    report = tmp_path / "report.html"
    await (await info.value).save_as(report)
    await page.goto(report.as_uri())
    await assert_accessible(page, "the HTML report")

    # Every page passes axe-core's WCAG 2.2 A and AA rules, at phone width and at a desk.
    for path in ("heatmap", "full", "downloads", "actions", "progress", "heatmap?unit=S-AREA"):
        await page.goto(f"{base}/dashboard/{path}")
        await assert_accessible(page, path)
    await page.set_viewport_size({"width": 1280, "height": 900})
    for path in ("", "heatmap", "full"):
        await page.goto(f"{base}/dashboard/{path}")
        await assert_accessible(page, f"{path or 'overview'} at desk width")

    # Every image has a text alternative and every control a label.
    await page.goto(f"{base}/dashboard/full")
    for image in await page.locator("img").all():
        assert (await image.get_attribute("alt") or "").strip()
    for control in await page.locator("select").all():
        ident = await control.get_attribute("id")
        assert await page.locator(f"label[for='{ident}']").count() == 1
    await context.close()
