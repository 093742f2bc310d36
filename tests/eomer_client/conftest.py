"""Fakes for client tests: a recording transport, a fake resolver, a fake clock and sleep."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import httpx
import pytest

from eomer_client.client import EomerClient
from eomer_client.retry import RetryPolicy
from tests.fake_clock import FakeClock

API = "https://eomer.test"
TOKEN = "SENTINEL-tok-5f2c9a"
JOB_ID = "0b6f4c2e-7d1a-4c3b-9e8f-123456789abc"
# A public address the fake resolver hands out for hosts it was not told about.
PUBLIC_IP = "93.184.216.34"

Handler = Callable[[httpx.Request], httpx.Response]


def job_json(job_id: str = JOB_ID, **fields: object) -> dict[str, object]:
    """A minimal valid job body, with `fields` on top."""
    return {"job_id": job_id, "status": "completed", **fields}


@dataclass
class Recorder:
    """Wraps a handler and keeps every request it saw."""

    handler: Handler
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)

    def authorizations(self) -> list[str | None]:
        return [request.headers.get("authorization") for request in self.requests]


@dataclass
class FakeResolver:
    """Maps hosts to addresses; IP literals resolve to themselves, other hosts to a public IP."""

    addresses: dict[str, Sequence[str]] = field(default_factory=dict)

    def __call__(self, host: str, port: int) -> Sequence[str]:
        if host in self.addresses:
            return self.addresses[host]
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            return [PUBLIC_IP]


@dataclass
class Harness:
    """Builds clients over a recording MockTransport, with fake time and DNS."""

    clock: FakeClock = field(default_factory=FakeClock)
    resolver: FakeResolver = field(default_factory=FakeResolver)
    clients: list[httpx.Client] = field(default_factory=list)

    def client(
        self,
        handler: Handler,
        *,
        token: str | None = TOKEN,
        base_url: str = API,
        attempts: int = 4,
    ) -> tuple[EomerClient, Recorder]:
        recorder = Recorder(handler)
        http = httpx.Client(transport=httpx.MockTransport(recorder))
        self.clients.append(http)
        policy = RetryPolicy(attempts=attempts, sleep=self.clock.sleep, clock=self.clock)
        client = EomerClient(base_url, token, http=http, retry=policy, resolver=self.resolver)
        return client, recorder


@pytest.fixture
def harness() -> Iterator[Harness]:
    made = Harness()
    yield made
    for http in made.clients:
        http.close()
