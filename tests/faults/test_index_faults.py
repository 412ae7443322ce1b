"""A missing or damaged passage index stops the action server and the HTTP app at start with a
message naming the rebuild command, instead of failing later on a user's question."""
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from assistant.processes import QUIET_ENV, ROOT, VENV_BIN, action_server, api_server, free_port
from knowledge.retrieval import IndexMissingError, load_retriever
from knowledge.retrieval.errors import REBUILD_COMMAND
from knowledge.settings import KnowledgeSettings

INDEX = KnowledgeSettings().index_dir


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])


DAMAGE = {
    "missing": lambda d: shutil.rmtree(d),
    "no-params": lambda d: (d / "params.json").unlink(),
    "params-not-json": lambda d: (d / "params.json").write_text("{", encoding="utf-8"),
    "passages-garbled": lambda d: (d / "passages.jsonl").write_text("nonsens\n", encoding="utf-8"),
    "passages-empty": lambda d: (d / "passages.jsonl").write_text("", encoding="utf-8"),
    "embeddings-truncated": lambda d: _truncate(d / "embeddings.npy"),
    "embeddings-empty": lambda d: (d / "embeddings.npy").write_bytes(b""),
    "embeddings-not-npy": lambda d: (d / "embeddings.npy").write_bytes(b"\x80\x04pickle"),
    "embeddings-wrong-shape": lambda d: np.save(d / "embeddings.npy", np.zeros((3, 7), dtype=np.float32)),
    "embeddings-wrong-dimension": lambda d: np.save(d / "embeddings.npy", np.load(d / "embeddings.npy")[:, :5]),
    "bm25-missing": lambda d: (d / "bm25_data.npy").unlink(),
    "vocabulary-wrong-type": lambda d: (d / "vocabulary.json").write_text('{"a": 1}', encoding="utf-8"),
    "tokenizer-empty": lambda d: (d / "tokenizer.json").write_text("{}", encoding="utf-8"),
}


@pytest.fixture
def damaged(tmp_path, request) -> Path:
    directory = tmp_path / "index"
    shutil.copytree(INDEX, directory)
    DAMAGE[request.param](directory)
    return directory


@pytest.mark.parametrize("damaged", sorted(DAMAGE), indirect=True)
def test_a_damaged_index_is_reported_with_the_rebuild_command(damaged):
    with pytest.raises(IndexMissingError) as error:
        load_retriever(KnowledgeSettings(index_dir=damaged))
    assert REBUILD_COMMAND in str(error.value)


def _start(argv: list[str], index_dir: Path) -> subprocess.CompletedProcess:
    env = {**QUIET_ENV, "PATH": str(VENV_BIN), "INSATSLOTSEN_INDEX_DIR": str(index_dir)}
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)


@pytest.mark.parametrize("damaged", ["embeddings-truncated"], indirect=True)
@pytest.mark.parametrize(
    "service", [lambda: action_server(free_port()), lambda: api_server(free_port(), free_port())], ids=["action-server", "http-app"]
)
def test_a_server_refuses_to_start_on_a_damaged_index(service, damaged):
    result = _start(service().argv, damaged)
    assert result.returncode != 0
    assert REBUILD_COMMAND in result.stdout + result.stderr
