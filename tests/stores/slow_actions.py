"""An action slower than the action server's response deadline (loaded only by test_action_timeout)."""
import asyncio

from rasa_sdk import Action

SLOW_SECONDS = 15


class ActionSlow(Action):
    def name(self) -> str:
        return "action_slow"

    async def run(self, dispatcher, tracker, domain):
        await asyncio.sleep(SLOW_SECONDS)
        dispatcher.utter_message(text="för sent")
        return []
