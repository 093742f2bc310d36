"""Fixtures shared by every test directory: the project root and a logging demo API."""

from __future__ import annotations

import os
import shutil
import ssl
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest

# Only light imports at the top: xdist's main process loads this file too, and runs no test. The
# demo server (statsmodels, through its fits) and the store (SQLAlchemy) are imported where used.
from demo_api.models.fit_folder import CACHE_ENV

ROOT = Path(__file__).resolve().parent.parent


@cache
def tls() -> ssl.SSLContext:
    """One TLS context for the tests' own httpx clients (`verify=tls()`).

    httpx builds a context for each client, loading the CA bundle: ~50 ms, more than most
    requests of a test to a server on this machine.
    """
    return httpx.create_ssl_context()


@cache
def loopback() -> httpx.Client:
    """One client for the tests' own calls to servers on this machine, shared by every test.

    `httpx.get` builds a client, and with it a TLS context, for each call; DemoApi.reset() alone
    runs before and after every page test.
    """
    return httpx.Client(verify=tls())


@dataclass(frozen=True)
class DemoApi:
    """A demo API started in this process, with its request log (faults mode logs requests)."""

    url: str

    def requests(self) -> list[dict[str, Any]]:
        """Every non-/_demo request the API received since the last reset."""
        log: list[dict[str, Any]] = loopback().get(f"{self.url}/_demo/requests").json()
        return log

    def job_requests(self, job_id: str) -> int:
        """How many `GET /jobs/{job_id}` the API answered since the last reset."""
        return sum(1 for entry in self.requests() if entry["path"] == f"/jobs/{job_id}")

    def reset(self) -> None:
        loopback().post(f"{self.url}/_demo/faults/reset").raise_for_status()

    def add_fault(self, **spec: Any) -> None:
        """Break matching requests from now on, as `spec` says (demo_api/testing/faults.py)."""
        loopback().post(f"{self.url}/_demo/faults", json=spec).raise_for_status()


def pytest_configure(config: pytest.Config) -> None:
    """The demo's fitted forecasts in one folder per run, shared by every process of the run.

    Set here, in the main process before xdist starts its workers, so the workers and every
    server they start inherit it: each seeded dataset is fitted once per run, and nothing of the
    analyst's own cache is read or written. A folder given by the caller is kept as it is.
    """
    if hasattr(config, "workerinput") or os.environ.get(CACHE_ENV):
        return
    folder = tempfile.mkdtemp(prefix="eomer-demo-cache-")
    os.environ[CACHE_ENV] = folder
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


@pytest.fixture(scope="session", autouse=True)
def store_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The team store of in-process apps lives in a folder of the run, never in the project's."""
    from store.engine import DATA_DIR_ENV

    folder = tmp_path_factory.mktemp("store-data")
    before = os.environ.get(DATA_DIR_ENV)
    os.environ[DATA_DIR_ENV] = str(folder)
    yield folder
    if before is None:
        del os.environ[DATA_DIR_ENV]
    else:
        os.environ[DATA_DIR_ENV] = before


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def demo_api() -> DemoApi:
    """One demo API for the whole run; tests reset its log and faults before use."""
    from demo_api.server import start_background_server

    return DemoApi(start_background_server(faults=True))
