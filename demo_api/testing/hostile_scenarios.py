"""Which hostile jobs exist, their IDs per tenant, and what a hostile body is built from."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from fastapi import Request

_NAMESPACE = uuid.UUID("0b7e2f4c-5d1a-4c6e-9f3b-2a8d7c6e5f41")
HOSTILE_SCENARIOS: tuple[str, ...] = (
    "hostile_markdown_links",
    "hostile_raw_html",
    "hostile_html_artifact",
    "hostile_svg_script",
    "hostile_plotly",
    "hostile_urls",
    "hostile_redirects",
    "hostile_errors",
    "hostile_labels",
    "hostile_text",
    "hostile_status",
)
# Where each /_hostile/{job}/redirect/{target} route sends the client ({b}: beacon, {a}: API).
REDIRECTS: Mapping[str, str] = {
    "beacon": "{b}/redirect-beacon.png",
    "protocol_relative": "//{bhost}/redirect-protocol-relative.png",
    "file": "file:///etc/passwd",
    "metadata": "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "private": "http://10.0.0.1/admin",
    "javascript": "javascript:alert(1)",
    "token_in_path": "{b}/redirect-token/{token}",
    "token_as_userinfo": "http://{token}@{bhost}/redirect-userinfo",
    "look_alike_localhost": "http://localhost:{aport}/jobs/{job}",
    "loop": "{a}/_hostile/{job}/redirect/loop",
}


def hostile_ids(tenant: str) -> dict[str, str]:
    """Scenario name -> job ID of the tenant's hostile jobs."""
    return {name: str(uuid.uuid5(_NAMESPACE, f"{tenant}/{name}")) for name in HOSTILE_SCENARIOS}


# The /_hostile/{job}/error/{kind} routes: each answers a different hostile error.
ERROR_KINDS = ("json", "html", "unauthorized", "token_echo")


class JobContext:
    """What a job body needs: the API base, the beacon, the job, and the caller's token."""

    def __init__(self, request: Request, beacon_url: str, job_id: str) -> None:
        self.api = str(request.base_url).rstrip("/")
        self.api_port = request.url.port or 80
        self.beacon = beacon_url.rstrip("/")
        self.beacon_host = self.beacon.split("://", 1)[-1]
        self.job_id = job_id
        self.token = bearer_token(request)

    def route(self, name: str) -> str:
        return f"{self.api}/_hostile/{self.job_id}/{name}"


def bearer_token(request: Request) -> str:
    """The token the caller sent, as the hostile routes echo it back."""
    return request.headers.get("authorization", "").partition(" ")[2].strip()
