"""The Teams app package: built by the documented command, checked against Teams' upload rules."""
import io
import json
import re
import subprocess
import sys
import zipfile

from PIL import Image

from assistant.processes import ROOT

APP_ID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
BASE_URL = "https://insatslotsen.intranat.stockholm.example"


def build(tmp_path, *extra):
    out = tmp_path / "teams.zip"
    command = [sys.executable, "-m", "assistant", "teams-package", "--out", str(out), *extra]
    return out, subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_the_package_holds_a_filled_in_manifest_and_both_icons_at_its_root(tmp_path):
    out, run = build(tmp_path, "--app-id", APP_ID, "--base-url", BASE_URL + "/", "--version", "1.2.0")
    assert run.returncode == 0, run.stderr
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        raw = archive.read("manifest.json").decode("utf-8")
        manifest = json.loads(raw)
        color = Image.open(io.BytesIO(archive.read(manifest["icons"]["color"])))
        outline = Image.open(io.BytesIO(archive.read(manifest["icons"]["outline"])))

    assert "{{" not in raw
    assert manifest["$schema"].endswith(f"/v{manifest['manifestVersion']}/MicrosoftTeams.schema.json")
    assert manifest["version"] == "1.2.0"
    assert manifest["id"] == APP_ID
    assert [bot["botId"] for bot in manifest["bots"]] == [APP_ID]
    assert manifest["bots"][0]["scopes"] == ["personal"]
    assert manifest["validDomains"] == ["insatslotsen.intranat.stockholm.example"]
    for url in manifest["developer"].values():
        if url.startswith("http"):
            assert url == BASE_URL + "/"
    assert len(manifest["name"]["short"]) <= 30 and len(manifest["name"]["full"]) <= 100
    assert len(manifest["description"]["short"]) <= 80 and len(manifest["description"]["full"]) <= 4000
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", manifest["accentColor"])
    for command in manifest["bots"][0]["commandLists"][0]["commands"]:
        assert len(command["title"]) <= 32 and len(command["description"]) <= 128

    assert color.size == (192, 192)
    assert all(alpha == 255 for alpha in color.getchannel("A").getdata()), "the colour icon is full-bleed"
    assert outline.size == (32, 32) and outline.mode == "RGBA"
    visible = [pixel for pixel in outline.getdata() if pixel[3] > 0]
    assert visible and all(pixel[:3] == (255, 255, 255) for pixel in visible), "outline: white on transparent"
    assert any(pixel[3] == 0 for pixel in outline.getdata())


def test_a_wrong_app_id_or_an_http_address_is_refused_in_swedish(tmp_path):
    out, run = build(tmp_path, "--app-id", "min-bot", "--base-url", BASE_URL)
    assert run.returncode == 2 and "GUID" in run.stderr and not out.exists()
    out, run = build(tmp_path, "--app-id", APP_ID, "--base-url", "http://insatslotsen.example")
    assert run.returncode == 2 and "https" in run.stderr and not out.exists()
