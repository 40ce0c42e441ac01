"""The JSON API as programs call it: each person's own token in the Authorization header."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from loket.api.services import create_token

PREFIX = "/api/v1"
A_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class Api:
    """One person's program: every request carries their token; bodies are JSON."""

    def __init__(self, client, token: str):
        self.client = client
        self.token = token

    def _headers(self, headers: dict) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}", **headers}

    def get(self, path: str, params: dict | None = None, **headers):
        return self.client.get(PREFIX + path, params or {}, **self._headers(headers))

    def post(self, path: str, body: dict | None = None, **headers):
        return self.client.post(
            PREFIX + path, json.dumps(body or {}), content_type="application/json", **self._headers(headers)
        )

    def patch(self, path: str, body: dict, **headers):
        return self.client.patch(
            PREFIX + path, json.dumps(body), content_type="application/json", **self._headers(headers)
        )

    def upload(self, path: str, name: str, content: bytes, *, internal: bool = False):
        data = {"file": SimpleUploadedFile(name, content), "internal": "true" if internal else "false"}
        return self.client.post(PREFIX + path, data, **self._headers({}))


@pytest.fixture
def api_for(client):
    """api_for(employee) -> Api calling with a fresh token of that employee."""

    def make(employee) -> Api:
        _token, plaintext = create_token(user=employee.user, name="Koppeling")
        return Api(client, plaintext)

    return make


def tickets_url(ticket) -> str:
    return f"/tickets/{ticket.number}"


def numbers(response) -> list[str]:
    """The ticket numbers on one page of GET /tickets."""
    assert response.status_code == 200, response.content
    return [item["number"] for item in response.json()["items"]]


def field_errors(response) -> dict[str, str]:
    """{field: code} of an error answer, after checking it has the one error shape."""
    body = response.json()
    assert set(body) == {"status", "code", "message", "errors"}
    assert body["status"] == response.status_code
    assert body["message"]
    return {error["field"]: error["code"] for error in body["errors"]}
