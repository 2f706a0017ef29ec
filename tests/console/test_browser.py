"""Drive the console in headless Chromium: log in, search, read the journey, tick, copy.

Needs Debian's chromium (scripts/install-browser.sh); screenshots go to test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.console.support import (
    AGENT,
    ARTIFACTS,
    PASSWORD,
    add_account,
    console_env,
    free_port,
    running_console,
    write_console_kb,
)
from tests.support.browser import launch_chromium, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.integration]


@pytest.fixture(scope="module")
def console_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real console process with an agent's account (made by ``navigator agents add``,
    no CONSOLE_TOKEN), on the fixture knowledge base."""
    tmp = tmp_path_factory.mktemp("browser")
    env = console_env(tmp, write_console_kb(tmp), free_port(), token=None)
    add_account(env, AGENT, "agent", PASSWORD)
    with running_console(env, tmp / "console.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium through Playwright."""
    yield from launch_chromium()


def shot(page: Any, name: str) -> None:
    screenshot(page, ARTIFACTS, name)


def test_agent_searches_ticks_and_copies(browser: Any, console_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=console_url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(console_url + "/")
    assert "/login" in page.url
    page.get_by_label("Nama akun").fill(AGENT)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(console_url + "/")

    # Keyboard first: the search box has focus on arrival, Enter searches.
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("anak saya baru lahir")
    page.keyboard.press("Enter")
    page.wait_for_selector("#journey-list")
    assert page.inner_text("#detected-event") == "Kelahiran"
    journey = page.locator("#journey-list li").all_inner_texts()
    assert journey[0] == "Akta Kelahiran"
    assert len(journey) == 3
    assert page.locator("details.card").first.get_attribute("id") == "svc-akta-kelahiran"
    shot(page, "01-search-results")

    card = page.locator("#svc-akta-kelahiran")
    card.locator("summary").click()
    assert card.get_attribute("open") is not None
    reply = card.locator("textarea.reply-text")
    assert "Surat keterangan lahir" in reply.input_value()
    card.get_by_label("Surat keterangan lahir dari rumah sakit atau bidan").check()
    page.wait_for_function(
        "() => !document.querySelector('#svc-akta-kelahiran textarea').value.includes('Surat keterangan lahir')"
    )
    text = reply.input_value()
    assert "Buku nikah orang tua" in text
    card.get_by_role("button", name="Salin balasan").click()
    page.wait_for_function(
        "() => document.querySelector('#svc-akta-kelahiran .copy-status').textContent !== ''"
    )
    assert page.evaluate("navigator.clipboard.readText()") == text
    shot(page, "02-card-ticked-copied")

    card.get_by_role("button", name="Tidak membantu").click()
    page.wait_for_selector("#svc-akta-kelahiran .noted")

    page.keyboard.press("Escape")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.click("a.lang-toggle")
    page.wait_for_selector("html[lang=en]")
    assert "Journey: Birth" in page.inner_text("#journey-h")
    shot(page, "03-english")
    assert errors == []
    context.close()


def test_phone_layout(browser: Any, console_url: str) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(console_url + "/login")
    page.fill("#name", AGENT)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(console_url + "/")
    page.goto(console_url + "/?q=gmn+bikin+akte+anak")
    page.locator("details.card summary").first.click()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    shot(page, "04-phone")
    page.goto(console_url + "/events/birth")
    shot(page, "05-phone-journey")
    context.close()


def test_artifacts_are_ignored_by_git() -> None:
    gitignore = (Path(__file__).resolve().parents[2] / ".gitignore").read_text()
    assert "test-artifacts/" in gitignore.split()
