"""Whether a browser page's Origin may use the widget endpoints (setting allowed_origins)."""


def origin_allowed(origin: str, allowed: list[str]) -> bool:
    # Scheme and host are case-insensitive; a trailing slash is not part of an origin.
    return origin.strip().rstrip("/").lower() in {entry.lower() for entry in allowed}
