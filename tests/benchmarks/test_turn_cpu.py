"""benchmarks.turn_cpu's bookkeeping: a part's CPU leaves out the parts it calls, a detail stays
inside its part, and the comparison's ratio is taken round by round."""
import asyncio
import time

from benchmarks.turn_cpu import DETAILS, PARTS, Clock, side_by_side


def _burn(seconds: float) -> None:
    started = time.process_time()
    while time.process_time() - started < seconds:
        pass


def test_a_part_called_inside_another_is_not_counted_twice():
    clock = Clock()
    with clock.measure("rasa"):
        _burn(0.02)
        with clock.measure("actions"):
            _burn(0.03)
        _burn(0.01)
    assert 0.028 <= clock.cpu["actions"] <= 0.045
    assert 0.028 <= clock.cpu["rasa"] <= 0.045


def test_a_detail_is_counted_inside_its_part_sync_and_async():
    clock = Clock()
    burn = clock.detail("rasa: parse", _burn)

    async def slept_and_burnt():
        await asyncio.sleep(0)
        _burn(0.01)

    timed = clock.detail("rasa: tracker save", slept_and_burnt)
    with clock.measure("rasa"):
        burn(0.02)
        asyncio.run(timed())
    assert clock.details["rasa: parse"] >= 0.02 and clock.details["rasa: tracker save"] >= 0.01
    assert clock.cpu["rasa"] >= clock.details["rasa: parse"] + clock.details["rasa: tracker save"]


def _result(scale: float) -> dict:
    return {"ms_per_turn": {part: scale for part in PARTS}, "details": {name: scale for name in DETAILS},
            "results": 3, "failed": 0}


def test_the_ratio_is_the_median_of_each_rounds_after_over_before():
    # The machine slows down over the rounds; each round's after is 0.8 of its before.
    table = side_by_side({"före": [_result(10), _result(20), _result(30)], "efter": [_result(8), _result(16), _result(24)]})
    actions = next(line for line in table.splitlines() if line.startswith("| actions |"))
    assert actions.endswith("| 0.80 |")
    assert "| turer med ett resultat | 3, 3, 3 | 3, 3, 3 | |" in table
