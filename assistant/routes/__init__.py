"""The registry of API routers; main.py includes every router listed here."""
from assistant.routes import chat, check, feedback, health, search

routers = [health.router, search.router, check.router, chat.router, feedback.router]
