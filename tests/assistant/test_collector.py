"""What the servers keep from their start is left out of later garbage collections; what a turn
leaves behind is still collected."""
import gc
import weakref

import pytest

from assistant.collector import freeze_start_up_objects, thaw_start_up_objects


class _Node:
    def __init__(self) -> None:
        self.peer = self


@pytest.fixture
def frozen_start():
    kept = _Node()  # a cycle the "server" keeps, as a loaded model keeps its objects
    freeze_start_up_objects()
    yield kept
    thaw_start_up_objects()


def test_objects_kept_from_the_start_are_left_out_of_later_collections(frozen_start):
    assert gc.get_freeze_count() > 0
    assert not any(obj is frozen_start for obj in gc.get_objects())


def test_garbage_made_after_the_start_is_still_collected(frozen_start):
    collected = []
    turn_garbage = _Node()
    weakref.finalize(turn_garbage, collected.append, "collected")
    del turn_garbage
    gc.collect()
    assert collected == ["collected"]


def test_garbage_of_the_start_itself_is_freed_not_frozen():
    collected = []
    start_garbage = _Node()
    weakref.finalize(start_garbage, collected.append, "freed")
    del start_garbage
    try:
        freeze_start_up_objects()
        assert collected == ["freed"]
    finally:
        thaw_start_up_objects()


def test_the_app_served_in_process_freezes_at_start_and_thaws_at_shutdown():
    from fastapi.testclient import TestClient

    from assistant.main import create_app

    thaw_start_up_objects()
    with TestClient(create_app()):
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
