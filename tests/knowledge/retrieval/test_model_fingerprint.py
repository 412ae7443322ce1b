"""An index names the embedding model that made it by a hash of the model's files; the same
weights built in two checkouts must get the same hash, or every index is rebuilt for nothing."""
import json

from knowledge.retrieval.dense import model_fingerprint


def _model(directory, checkout: str, weights: bytes = b"\x00\x01weights", epochs: int = 1):
    directory.mkdir(parents=True)
    (directory / "model.safetensors").write_bytes(weights)
    (directory / "config.json").write_text(json.dumps({"_name_or_path": f"{checkout}/.venv/site-packages/minilm/model", "hidden_size": 384}))
    (directory / "adaptation.json").write_text(json.dumps({"base_model": f"{checkout}/.venv/site-packages/minilm/model", "base_model_hash": "83c1a1b15af6d02e", "epochs": epochs}, indent=1))
    (directory / "1_Pooling").mkdir()
    (directory / "1_Pooling" / "config.json").write_text('{"pooling_mode_mean_tokens": true}')
    return directory


def test_identical_weights_built_in_two_checkouts_have_one_fingerprint(tmp_path):
    here = _model(tmp_path / "a" / ".cache" / "models" / "minilm", "/work/wt/retr5")
    there = _model(tmp_path / "b" / ".cache" / "models" / "minilm", "/work/main")
    assert model_fingerprint(here) == model_fingerprint(there)


def test_other_weights_or_other_training_settings_change_the_fingerprint(tmp_path):
    base = model_fingerprint(_model(tmp_path / "base", "/work/main"))
    assert model_fingerprint(_model(tmp_path / "weights", "/work/main", weights=b"\x00\x02weights")) != base
    assert model_fingerprint(_model(tmp_path / "epochs", "/work/main", epochs=2)) != base


def test_a_renamed_or_added_file_changes_the_fingerprint(tmp_path):
    model = _model(tmp_path / "m", "/work/main")
    before = model_fingerprint(model)
    (model / "vocab.txt").write_text("[PAD]\n")
    assert model_fingerprint(model) != before
