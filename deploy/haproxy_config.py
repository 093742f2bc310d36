"""The HAProxy configuration for dashboard replicas: sticky by cookie, websockets, failover."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

COOKIE_NAME = "SERVERID"
HEALTH_PATH = "/_stcore/health"
STREAM_PATH = "/_stcore/stream"
UPLOAD_PATH = "/_stcore/upload_file"
MIN_PORT, MAX_PORT = 1, 65535
STREAMLIT_CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"
# Streamlit's own default when config.toml sets no server.maxUploadSize (megabytes).
STREAMLIT_DEFAULT_UPLOAD_MB = 200
# Streamlit accepts an upload body this much larger than server.maxUploadSize: the multipart
# framing around the file (its _MAX_UPLOAD_MULTIPART_OVERHEAD_BYTES).
MULTIPART_MARGIN_BYTES = 1024 * 1024
_MB = 1024 * 1024
# Characters of a stats user or password: nothing that could end or extend a config line.
_CREDENTIAL_CHARACTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
)


def app_upload_limit(config: Path = STREAMLIT_CONFIG) -> int:
    """The largest body Streamlit's upload route takes: server.maxUploadSize plus its margin."""
    try:
        settings = tomllib.loads(config.read_text(encoding="utf-8"))
    except FileNotFoundError:
        settings = {}
    megabytes = settings.get("server", {}).get("maxUploadSize", STREAMLIT_DEFAULT_UPLOAD_MB)
    return int(megabytes) * _MB + MULTIPART_MARGIN_BYTES


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
    # User and password of the status page, which is never open without them.
    stats_auth: tuple[str, str] | None = field(default=None, repr=False)
    # Upload bodies larger than this are refused at the edge: the app's own cap by default.
    max_upload_bytes: int = field(default_factory=app_upload_limit)

    def __post_init__(self) -> None:
        if not self.servers:
            raise ValueError("At least one replica is needed behind HAProxy.")
        if self.stats_port is not None and self.stats_auth is None:
            raise ValueError("The status page needs a user and password (stats_auth).")
        for credential in self.stats_auth or ():
            if not credential or not set(credential) <= _CREDENTIAL_CHARACTERS:
                raise ValueError("Status page credentials are letters, digits, - and _ only.")
        if self.max_upload_bytes < 1:
            raise ValueError("The upload limit must be at least one byte.")
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


def write_config(settings: ProxySettings, path: Path) -> Path:
    """Write haproxy.cfg owner-only (it holds the status page's password); returns `path`."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(render_config(settings))
    return path


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
        f"    # {UPLOAD_PATH} is Streamlit's upload route, open to anyone with a session:\n"
        "    # a body larger than the app takes (server.maxUploadSize in .streamlit/config.toml\n"
        "    # plus Streamlit's multipart margin) is refused before a replica reads it, and one\n"
        "    # of undeclared length (chunked) cannot be checked here, so it is refused too.\n"
        f"    acl upload_route path_beg {UPLOAD_PATH}\n"
        "    http-request deny deny_status 413 if upload_route "
        f"{{ req.hdr_val(content-length) gt {settings.max_upload_bytes} }}\n"
        "    http-request deny deny_status 413 if upload_route "
        "{ req.hdr(transfer-encoding) -m found }\n"
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
    user, password = settings.stats_auth or ("", "")
    return (
        "frontend stats\n"
        f"    bind {settings.bind_host}:{settings.stats_port}\n"
        "    stats enable\n"
        "    stats uri /\n"
        "    stats refresh 5s\n"
        "    stats realm eomer-haproxy\n"
        f"    stats auth {user}:{password}\n"
    )
