"""The registry of API routers; main.py includes every router listed here."""
from assistant.routes import (
    botframework, chat, check, feedback, health, interventions, passage_page, search, session, socketio_proxy,
)

routers = [
    health.router, search.router, check.router, chat.router, feedback.router, botframework.router,
    session.router, socketio_proxy.router, interventions.router, passage_page.router,
]
