"""Emptying the dashboard's process resources between tests, all but the built-in demo API."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import streamlit as st
from streamlit.runtime.caching.cache_utils import CachedFunc

import deps
from deps.resources import demo_api_url


def wiring_resources() -> list[CachedFunc[..., Any]]:
    """Every `st.cache_resource` function of the wiring (deps/), where the product keeps them."""
    found: dict[int, CachedFunc[..., Any]] = {}
    for info in pkgutil.walk_packages(deps.__path__, f"{deps.__name__}."):
        for value in vars(importlib.import_module(info.name)).values():
            if isinstance(value, CachedFunc):
                found[id(value)] = value
    return list(found.values())


def clear_process_resources() -> None:
    """As `st.cache_data.clear()` and `st.cache_resource.clear()`, but the demo keeps running.

    The store, the pools, the caches and the upload ledger start anew, as in a new process. The
    built-in demo API is one per process and lives as long as it: clearing it made the next run
    start another server (with its warm-up of every seeded result, ~2 s of CPU) and left the old
    one running, 26 of them in one worker.
    """
    st.cache_data.clear()
    for resource in wiring_resources():
        if resource is not demo_api_url:
            resource.clear()
