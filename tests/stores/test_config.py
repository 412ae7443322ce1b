"""The endpoints file as the app reads it for every turn: parsed once, read again when it changes."""
import os

from assistant.stores.config import tracker_store_config


def _write(path, db: str) -> None:
    path.write_text(f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {db}\n", encoding="utf-8")


def test_an_edited_endpoints_file_is_read_again(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    _write(endpoints, "/var/first.db")
    assert tracker_store_config(endpoints).url.database == "/var/first.db"
    _write(endpoints, "/var/second-and-longer.db")
    assert tracker_store_config(endpoints).url.database == "/var/second-and-longer.db"


def test_an_edit_that_keeps_size_and_time_is_not_seen_so_both_are_compared(tmp_path):
    # The cache key is (path, mtime, size): documents what a same-size edit in the same
    # nanosecond would do, which no deployment does (the file is mounted, not edited in place).
    endpoints = tmp_path / "endpoints.yml"
    _write(endpoints, "/var/aaaa.db")
    stat = endpoints.stat()
    assert tracker_store_config(endpoints).url.database == "/var/aaaa.db"
    _write(endpoints, "/var/bbbb.db")
    os.utime(endpoints, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert tracker_store_config(endpoints).url.database == "/var/aaaa.db"
    os.utime(endpoints, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert tracker_store_config(endpoints).url.database == "/var/bbbb.db"


def test_variables_are_filled_in_on_every_read_not_once(tmp_path, monkeypatch):
    endpoints = tmp_path / "endpoints.yml"
    _write(endpoints, "${TRACKER_DB}")
    monkeypatch.setenv("TRACKER_DB", "/var/one.db")
    assert tracker_store_config(endpoints).url.database == "/var/one.db"
    monkeypatch.setenv("TRACKER_DB", "/var/two.db")
    assert tracker_store_config(endpoints).url.database == "/var/two.db"
    monkeypatch.setenv("TRACKER_DB", "/var/three.db")
    assert tracker_store_config(endpoints).url.database == "/var/three.db"
