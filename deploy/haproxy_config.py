"""The HAProxy configuration for dashboard replicas: sticky by cookie, websockets, failover."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

COOKIE_NAME = "SERVERID"
HEALTH_PATH = "/_stcore/health"
STREAM_PATH = "/_stcore/stream"
MIN_PORT, MAX_PORT = 1, 65535


@dataclass(frozen=True)
class Server:
    """One replica as HAProxy sees it: its name (also its cookie value) and its address."""

    name: str
    host: str
    port: int


@dataclass(frozen=True)
class ProxySettings:
    """What varies between deployments; the timeouts suit Streamlit's long-lived websocket."""

    bind_host: str
    bind_port: int
    servers: Sequence[Server]
    # A separate listener with HAProxy's status page (`;csv` for machines); None for none.
    stats_port: int | None = None
    check_interval_ms: int = 1000
    # A websocket lives as long as the browser tab: idle tabs must not be cut every minute.
    tunnel_timeout: str = "1h"

    def __post_init__(self) -> None:
        if not self.servers:
            raise ValueError("At least one replica is needed behind HAProxy.")
        names = [server.name for server in self.servers]
        if len(set(names)) != len(names):
            raise ValueError(f"Replica names must differ (they are cookie values): {names}.")
        for name in names:
            if not name or not all(ch.isalnum() or ch in "-_" for ch in name):
                raise ValueError(f"Replica name {name!r} must be letters, digits, - or _.")
        ports = [self.bind_port, *(s.port for s in self.servers)]
        if self.stats_port is not None:
            ports.append(self.stats_port)
        for port in ports:
            if not MIN_PORT <= port <= MAX_PORT:
                raise ValueError(f"Port {port} is not between {MIN_PORT} and {MAX_PORT}.")


def local_servers(ports: Sequence[int], host: str = "127.0.0.1") -> list[Server]:
    """Replicas `replica1`, `replica2`, ... on `host` at `ports`."""
    return [Server(f"replica{index}", host, port) for index, port in enumerate(ports, start=1)]


def render_config(settings: ProxySettings) -> str:
    """The whole haproxy.cfg text for `settings`."""
    sections = [_GLOBAL_AND_DEFAULTS.format(tunnel=settings.tunnel_timeout), _frontend(settings)]
    sections.append(_backend(settings))
    if settings.stats_port is not None:
        sections.append(_stats(settings))
    return "\n".join(sections)


# Logs go to stdout so `haproxy -db` writes them where the process's output goes.
_GLOBAL_AND_DEFAULTS = """\
global
    log stdout format raw local0 info
    maxconn 4096

defaults
    mode http
    log global
    option httplog
    option dontlognull
    # A request to a dead replica is retried on another, live one (every retry redispatches):
    # the browser's reconnect after a replica dies lands on a survivor despite its old cookie.
    option redispatch 1
    retries 3
    timeout connect 5s
    timeout http-request 10s
    timeout queue 30s
    timeout client 60s
    timeout server 60s
    timeout client-fin 10s
    # After the upgrade to a websocket (/_stcore/stream) this governs the idle connection.
    timeout tunnel {tunnel}
"""


def _frontend(settings: ProxySettings) -> str:
    return (
        "frontend dashboard\n"
        f"    bind {settings.bind_host}:{settings.bind_port}\n"
        "    option forwardfor\n"
        f"    # {STREAM_PATH} is Streamlit's websocket: HTTP mode passes the upgrade through,\n"
        "    # to the replica the cookie names, and `timeout tunnel` then governs it.\n"
        "    default_backend replicas\n"
    )


def _backend(settings: ProxySettings) -> str:
    # A Streamlit session (and its /media files) lives in one process: the first answer sets
    # the cookie naming that replica, and every later request of the tab goes back there.
    lines = [
        "backend replicas",
        "    balance roundrobin",
        f"    cookie {COOKIE_NAME} insert indirect nocache",
        f"    option httpchk GET {HEALTH_PATH}",
        "    http-check expect status 200",
        f"    default-server check inter {settings.check_interval_ms} fall 2 rise 2",
    ]
    lines += [
        f"    server {server.name} {server.host}:{server.port} cookie {server.name}"
        for server in settings.servers
    ]
    return "\n".join(lines) + "\n"


def _stats(settings: ProxySettings) -> str:
    return (
        "frontend stats\n"
        f"    bind {settings.bind_host}:{settings.stats_port}\n"
        "    stats enable\n"
        "    stats uri /\n"
        "    stats refresh 5s\n"
    )
