"""The widget as a user sees it, for the browser tests: the message field, the conversation, the buttons."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from assistant.processes import ROOT

AXE = ROOT / "widget" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
REPLY_TIMEOUT_MS = 30_000


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"widget-{name}.png"), full_page=True)


class Widget:
    """The widget as a user sees it: the message field, the conversation, the buttons."""

    def __init__(self, page: Page, url: str) -> None:
        self.page = page
        self.url = url

    def open(self) -> None:
        self.page.goto(self.url + "/")
        self.wait_until_connected()

    def wait_until_connected(self) -> None:
        self.page.get_by_label("Ditt meddelande").wait_for()
        expect(self.page.locator(".connection")).to_have_text("", timeout=REPLY_TIMEOUT_MS)
        self.page.wait_for_function("() => sessionStorage.getItem('insatslotsen.session') !== null")

    @property
    def bot_messages(self):
        return self.page.locator(".message.bot")

    @property
    def user_messages(self):
        return self.page.locator(".message.user")

    @property
    def quick_replies(self):
        return self.page.locator(".quick-replies button")

    @property
    def announcer(self):
        return self.page.get_by_test_id("announcer")

    def session(self) -> dict:
        return self.page.evaluate("() => JSON.parse(sessionStorage.getItem('insatslotsen.session'))")

    def say(self, text: str) -> None:
        """Types a message and sends it with Enter; returns when the bot has answered."""
        before = self.bot_messages.count()
        field = self.page.get_by_label("Ditt meddelande")
        field.fill(text)
        field.press("Enter")
        self.wait_for_answer(before)

    def click(self, title: str) -> None:
        before = self.bot_messages.count()
        self.quick_replies.filter(has_text=re.compile(f"^{re.escape(title)}$")).click()
        self.wait_for_answer(before)

    def wait_for_answer(self, before: int) -> None:
        self.page.wait_for_function(
            "n => document.querySelectorAll('.message.bot').length > n", arg=before, timeout=REPLY_TIMEOUT_MS
        )
        # Rasa sends an answer as several messages in a burst; let the burst finish.
        self.page.wait_for_timeout(700)

    def consult_until_card(self, description: str, first_answer: str = "Ja", limit: int = 20) -> None:
        """Describes a person, answers the first question with `first_answer` and every later one with
        "Vet inte", until the recommendation card is shown."""
        self.say(description)
        answer = first_answer
        for _ in range(limit):
            if self.page.locator(".card").count():
                return
            titles = self.quick_replies.all_inner_texts()
            self.click(answer if answer in titles else "Vet inte")
            answer = "Vet inte"
        raise AssertionError(f"no recommendation card after {limit} answers")

    def run_axe(self) -> list[dict]:
        self.page.add_script_tag(path=str(AXE))
        return self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"
        )
