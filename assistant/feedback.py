"""Feedback on answers (👍/👎), kept to improve retrieval and rules.

Only what a reviewer needs is stored: the rating, the masked question and answer, the passage the
user thought right, the channel and the versions that answered. Never a sender id or identifier.
Kept like the conversations: deleted after INSATSLOTSEN_FEEDBACK_RETENTION_DAYS, erasable one by
one, and on SQLite erased for real (assistant.stores.retention's secure delete and VACUUM).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

import sqlalchemy as sa

from assistant.personal_data import mask
from assistant.stores.engines import engine_for
from assistant.stores.retention import compact, secure_delete_on
from knowledge.provenance import knowledge_versions

Rating = Literal["up", "down"]
Channel = Literal["widget", "teams"]

_metadata = sa.MetaData()
feedback_table = sa.Table(
    "feedback",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("rating", sa.String(4), nullable=False),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("answer", sa.Text, nullable=False),
    sa.Column("passage_id", sa.String(64)),
    sa.Column("versions", sa.JSON, nullable=False),
)


@dataclass(frozen=True)
class Feedback:
    rating: Rating
    question: str
    answer: str
    channel: Channel
    passage_id: str | None = None
    versions: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredFeedback(Feedback):
    id: int = 0
    created_at: datetime | None = None


def default_database_url() -> str:
    from assistant.settings import get_settings

    return get_settings().feedback_db


def _engine(url: str) -> sa.engine.Engine:
    return engine_for(url, _metadata)


def record_feedback(feedback: Feedback, database_url: str | None = None) -> int:
    """Stores one rating; question and answer are masked here, whatever the caller did."""
    row = {
        "created_at": datetime.now(timezone.utc),
        "rating": feedback.rating,
        "channel": feedback.channel,
        "question": mask(feedback.question).text,
        "answer": mask(feedback.answer).text,
        "passage_id": feedback.passage_id,
        # The versions the answer showed win; the current ones fill what the client did not send.
        "versions": {**knowledge_versions(), **feedback.versions},
    }
    with _engine(database_url or default_database_url()).begin() as connection:
        return connection.execute(feedback_table.insert().values(**row)).inserted_primary_key[0]


def list_feedback(rating: Rating | None = "down", database_url: str | None = None) -> list[StoredFeedback]:
    query = sa.select(feedback_table).order_by(feedback_table.c.id)
    if rating is not None:
        query = query.where(feedback_table.c.rating == rating)
    with _engine(database_url or default_database_url()).connect() as connection:
        return [StoredFeedback(**row._mapping) for row in connection.execute(query)]


def delete_feedback_older_than(days: int, database_url: str | None = None, now: datetime | None = None) -> int:
    """Removes every rating older than `days` days; how many."""
    if days < 1:
        raise ValueError("days must be at least 1")
    cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=days)
    return _delete(feedback_table.c.created_at < cutoff, database_url)


def erase_feedback(feedback_id: int, database_url: str | None = None) -> bool:
    """Removes one rating by its id (as `feedback list` shows it); False if there was none."""
    return _delete(feedback_table.c.id == feedback_id, database_url) > 0


def _delete(condition, database_url: str | None) -> int:
    engine = _engine(database_url or default_database_url())
    with engine.begin() as connection:
        secure_delete_on(connection)
        removed = connection.execute(feedback_table.delete().where(condition)).rowcount
    if removed:
        compact(engine)
    return removed


def evaluation_candidates(rows: list[StoredFeedback]) -> dict[str, list[dict[str, Any]]]:
    """👎 answers as unlabelled cases in tests/data/retrieval_eval.yaml's format, for a person to label."""
    from knowledge.corpus import get_passage

    cases = []
    for row in rows:
        answers = []
        if row.passage_id:
            try:
                passage = get_passage(row.passage_id)
                answers.append({"passage": passage.id, "doc": passage.doc, "section": passage.section})
            except KeyError:
                pass  # a passage id from an older index: the labeller picks the passage anew
        cases.append(
            {
                "id": f"feedback-{row.id}",
                "q": row.question,
                "split": "unlabelled",
                "style": "återkoppling",
                "answers": answers,
                "feedback": {
                    "answer": row.answer,
                    "channel": row.channel,
                    "created_at": row.created_at.isoformat(timespec="seconds") if row.created_at else None,
                    "versions": row.versions,
                },
            }
        )
    return {"questions": cases}
