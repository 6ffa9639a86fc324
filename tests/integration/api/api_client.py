"""The REST API from a test: JSON in, (status, JSON or text) out, standard
library only. A refused request is a result, not an exception."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any, Optional


class Api:
    def __init__(self, base_url: str, token: Optional[str] = None):
        self.base_url = base_url
        self.token = token

    def request(self, method: str, path: str, body: Any = None, *, token: Optional[str] = "default",
                raw: Optional[bytes] = None, headers: Optional[dict[str, str]] = None) -> tuple[int, Any, dict]:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        bearer = self.token if token == "default" else token
        if bearer:
            request.add_header("Authorization", f"Bearer {bearer}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, decode(response.read(), response.headers), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, decode(error.read(), error.headers), dict(error.headers)

    def get(self, path: str, **kw) -> tuple[int, Any, dict]:
        return self.request("GET", path, **kw)


def decode(payload: bytes, headers) -> Any:
    if headers.get("Content-Type", "").startswith("application/json") and payload:
        return json.loads(payload)
    return payload.decode(errors="replace")
