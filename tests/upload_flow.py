"""Driving an upload page through its two steps (check the file, then "Save these changes")."""

from __future__ import annotations

import re

TOKEN = re.compile(r'name="token" value="([^"]+)"')


def token_of(response) -> str | None:
    """The token of the "Save these changes" form on a preview page, or None when there is none."""
    match = TOKEN.search(response.content.decode())
    return match.group(1) if match else None


def upload_and_save(client, url: str, data: dict):
    """Post the file (``data`` holds it and any other fields), check a preview came back, then
    press "Save these changes". Returns the preview response and the save response."""
    preview = client.post(url, data)
    assert preview.status_code == 200, preview.status_code
    token = token_of(preview)
    assert token, "no 'Save these changes' button: " + re.sub(r"\s+", " ", preview.content.decode())[-1500:]
    return preview, client.post(url, {"token": token})
