"""`python -m assistant teams-package`: the Teams app package (manifest.json and two icons, zipped)
to upload in Teams or the Teams admin center.

teams/manifest.json is the template; the bot's Azure app id and the app's public address are
filled in here. The icons are drawn here with Pillow, so no binary lives in the repository.
"""
from __future__ import annotations

import io
import json
import re
import uuid
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
MANIFEST_TEMPLATE = ROOT / "teams" / "manifest.json"
ACCENT = (0, 90, 160)  # the manifest's accentColor, #005AA0
COLOR_SIZE, OUTLINE_SIZE = 192, 32
_SUPERSAMPLE = 8
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")


class PackageError(ValueError):
    pass


def _symbol_mask(size: int, outline_only: bool) -> Image.Image:
    """A speech bubble with a check mark, as an anti-aliased alpha mask of `size`×`size`."""
    big = size * _SUPERSAMPLE
    mask = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(mask)
    unit = big / 32
    bubble = (4 * unit, 5 * unit, 28 * unit, 23 * unit)
    tail = [(9 * unit, 22 * unit), (9 * unit, 28 * unit), (15 * unit, 22 * unit)]
    check = [(10 * unit, 14 * unit), (14 * unit, 18 * unit), (22 * unit, 10 * unit)]
    stroke = round(2.2 * unit)
    if outline_only:
        draw.rounded_rectangle(bubble, radius=5 * unit, outline=255, width=stroke)
        draw.polygon(tail, fill=255)
        draw.line(check, fill=255, width=stroke, joint="curve")
    else:
        draw.rounded_rectangle(bubble, radius=5 * unit, fill=255)
        draw.polygon(tail, fill=255)
        draw.line(check, fill=0, width=stroke, joint="curve")
    return mask.resize((size, size), Image.LANCZOS)


def color_icon() -> bytes:
    """192×192, full-bleed accent colour with the white symbol (Teams' colour icon rules)."""
    image = Image.new("RGBA", (COLOR_SIZE, COLOR_SIZE), (*ACCENT, 255))
    white = Image.new("RGBA", image.size, (255, 255, 255, 255))
    image.paste(white, mask=_symbol_mask(COLOR_SIZE, outline_only=False))
    return _png(image)


def outline_icon() -> bytes:
    """32×32, white on transparent only (Teams recolours it)."""
    image = Image.new("RGBA", (OUTLINE_SIZE, OUTLINE_SIZE), (255, 255, 255, 0))
    image.putalpha(_symbol_mask(OUTLINE_SIZE, outline_only=True))
    return _png(image)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def manifest(app_id: str, base_url: str, version: str) -> dict:
    try:
        app_id = str(uuid.UUID(app_id))
    except ValueError:
        raise PackageError(f"--app-id ska vara botens Microsoft App ID (ett GUID), inte {app_id!r}.") from None
    parts = urlsplit(base_url)
    if parts.scheme != "https" or not parts.hostname:
        raise PackageError(f"--base-url ska vara appens publika https-adress, inte {base_url!r}.")
    if not _VERSION.match(version):
        raise PackageError(f"--version ska ha formen 1.2.3, inte {version!r}.")
    text = MANIFEST_TEMPLATE.read_text(encoding="utf-8")
    for placeholder, value in {
        "APP_ID": app_id, "BASE_URL": base_url.rstrip("/"), "HOST": parts.hostname, "VERSION": version,
    }.items():
        text = text.replace("{{" + placeholder + "}}", value)
    return json.loads(text)


def build_package(app_id: str, base_url: str, out: Path, version: str = "1.0.0") -> Path:
    data = manifest(app_id, base_url, version)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # Teams wants the three files at the root of the zip, not in a folder.
        archive.writestr("manifest.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr(data["icons"]["color"], color_icon())
        archive.writestr(data["icons"]["outline"], outline_icon())
    return out
