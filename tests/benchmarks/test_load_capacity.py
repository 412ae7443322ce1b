"""The capacity figure of `make bench-load` (benchmarks/load.py) is the largest level that met the target."""
from benchmarks.load import TARGETS, Level, capacity


def _level(users, p95_ms, errors=0):
    # 100 samples, the slowest 4 at twice p95_ms: the 95th percentile is p95_ms itself.
    return Level(users, latencies_ms=[p95_ms] * 96 + [p95_ms * 2] * 4, errors=errors)


def test_capacity_is_the_largest_level_within_the_p95_target():
    target = TARGETS["p95_ms_at_20"]
    assert capacity([_level(100, target - 50), _level(200, target - 1), _level(400, target + 200)]) == 200


def test_a_level_with_errors_does_not_count_however_fast():
    assert capacity([_level(100, 50), _level(200, 60, errors=1)]) == 100


def test_no_level_within_the_target_gives_no_capacity():
    assert capacity([_level(100, TARGETS["p95_ms_at_20"] * 3)]) is None
