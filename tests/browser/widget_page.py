"""The widget as a user sees it, for the browser tests: the message field, the conversation, the buttons."""
from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

from assistant.processes import ROOT
from knowledge.criteria import FACTS

AXE = ROOT / "widget" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
REPLY_TIMEOUT_MS = 30_000
QUIET_SECONDS = 1.2


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
        # Rasa sends an answer as several messages in a burst; wait until no more arrive for a while.
        count, quiet_since = self.bot_messages.count(), time.monotonic()
        while time.monotonic() - quiet_since < QUIET_SECONDS:
            self.page.wait_for_timeout(200)
            if self.bot_messages.count() != count:
                count, quiet_since = self.bot_messages.count(), time.monotonic()

    def last_question(self) -> str:
        """The text of the newest bot message that offers buttons."""
        return self.page.locator(".message.bot:has(.quick-replies) .text").last.inner_text()

    def consult_until_card(self, description: str, answers: dict[str, str], limit: int = 20) -> None:
        """Describes a person, then answers the bot's questions by clicking buttons, as a handläggare
        would: `answers` maps a fact (knowledge.criteria.FACTS) to the button title for it; any other
        question gets "Vet inte". Returns when the recommendation card is shown."""
        by_question = {FACTS[fact]["question"]: title for fact, title in answers.items()}
        self.say(description)
        for _ in range(limit):
            # Every turn of a consultation ends in a question with buttons or in the card.
            self.page.locator(".turn:last-child :is(.card, .quick-replies)").first.wait_for()
            if self.page.locator(".turn:last-child .card").count():
                return
            self.click(by_question.get(self.last_question(), "Vet inte"))
        raise AssertionError(f"no recommendation card after {limit} answers")

    def run_axe(self) -> list[dict]:
        self.page.add_script_tag(path=str(AXE))
        return self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"
        )
