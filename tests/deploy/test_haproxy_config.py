"""The generated haproxy.cfg: sticky sessions, websockets, health checks, failover, accepted."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest

from deploy.haproxy_config import (
    MULTIPART_MARGIN_BYTES,
    ProxySettings,
    Server,
    app_upload_limit,
    local_servers,
    render_config,
)
from deploy.processes import ROOT, DeploymentError, check_config, haproxy_binary

STATS_AUTH = ("eomer", "generated-Pass_word")


def settings(
    replicas: int = 2, *, stats_port: int | None = None, check_interval_ms: int = 1000
) -> ProxySettings:
    ports = [9001 + index for index in range(replicas)]
    servers = local_servers(ports)
    auth = STATS_AUTH if stats_port is not None else None
    return ProxySettings("127.0.0.1", 8080, servers, stats_port, check_interval_ms, stats_auth=auth)


def lines(config: str) -> list[str]:
    return [line.strip() for line in config.splitlines()]


def test_every_replica_is_a_server_whose_cookie_is_its_name() -> None:
    config = lines(render_config(settings(replicas=3)))
    assert [line for line in config if line.startswith("server ")] == [
        "server replica1 127.0.0.1:9001 cookie replica1",
        "server replica2 127.0.0.1:9002 cookie replica2",
        "server replica3 127.0.0.1:9003 cookie replica3",
    ]


def test_sessions_stick_to_their_replica_by_an_inserted_cookie() -> None:
    assert "cookie SERVERID insert indirect nocache" in lines(render_config(settings()))


def test_replicas_are_checked_on_streamlits_health_endpoint() -> None:
    config = lines(render_config(settings(check_interval_ms=500)))
    assert "option httpchk GET /_stcore/health" in config
    assert "default-server check inter 500 fall 2 rise 2" in config


def test_requests_for_a_dead_replica_go_to_a_live_one() -> None:
    config = lines(render_config(settings()))
    assert "option redispatch 1" in config
    assert "retries 3" in config


def test_websockets_get_a_long_tunnel_timeout_in_http_mode() -> None:
    config = lines(render_config(settings()))
    assert "mode http" in config
    assert "timeout tunnel 1h" in config


def test_the_frontend_binds_the_asked_address() -> None:
    assert "bind 127.0.0.1:8080" in lines(render_config(settings()))


def test_the_status_page_is_there_only_when_asked_for() -> None:
    assert "frontend stats" not in render_config(settings())
    with_stats = lines(render_config(settings(stats_port=8404)))
    assert "bind 127.0.0.1:8404" in with_stats
    assert "stats uri /" in with_stats


def test_the_status_page_is_never_open_without_a_password() -> None:
    assert "stats auth eomer:generated-Pass_word" in lines(render_config(settings(stats_port=8404)))
    with pytest.raises(ValueError, match="needs a user and password"):
        ProxySettings("127.0.0.1", 8080, local_servers([9001]), stats_port=8404)
    with pytest.raises(ValueError, match="letters, digits"):
        ProxySettings(
            "127.0.0.1", 8080, local_servers([9001]), 8404, stats_auth=("eomer", "pw\n  stats")
        )


def test_uploads_larger_than_the_apps_cap_are_refused_at_the_edge() -> None:
    config = lines(render_config(settings()))
    limit = app_upload_limit()
    assert "acl upload_route path_beg /_stcore/upload_file" in config
    assert (
        "http-request deny deny_status 413 if upload_route "
        f"{{ req.hdr_val(content-length) gt {limit} }}"
    ) in config
    assert (
        "http-request deny deny_status 413 if upload_route { req.hdr(transfer-encoding) -m found }"
    ) in config


def test_the_upload_cap_is_read_from_streamlits_own_configuration(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[server]\nmaxUploadSize = 7\n", encoding="utf-8")
    assert app_upload_limit(config) == 7 * 1024 * 1024 + MULTIPART_MARGIN_BYTES
    config.write_text("[server]\nheadless = true\n", encoding="utf-8")
    assert app_upload_limit(config) == 200 * 1024 * 1024 + MULTIPART_MARGIN_BYTES
    assert app_upload_limit(tmp_path / "absent.toml") == 200 * 1024 * 1024 + MULTIPART_MARGIN_BYTES
    committed = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    megabytes = committed["server"]["maxUploadSize"]
    assert app_upload_limit() == megabytes * 1024 * 1024 + MULTIPART_MARGIN_BYTES


@pytest.mark.parametrize("replicas", [1, 2, 5])
def test_haproxy_accepts_the_configuration(tmp_path: Path, replicas: int) -> None:
    path = tmp_path / "haproxy.cfg"
    path.write_text(render_config(settings(replicas, stats_port=8404)), encoding="utf-8")
    check_config(path)


def test_a_configuration_haproxy_refuses_is_reported_with_its_words(tmp_path: Path) -> None:
    path = tmp_path / "haproxy.cfg"
    path.write_text(render_config(settings()) + "    cookie\n", encoding="utf-8")
    with pytest.raises(DeploymentError, match="HAProxy refused"):
        check_config(path)


def test_haproxy_is_debians_package() -> None:
    version = subprocess.run(
        [haproxy_binary(), "-v"], capture_output=True, text=True, check=True
    ).stdout
    assert version.startswith("HAProxy version 2.")


def test_no_replicas_is_refused() -> None:
    with pytest.raises(ValueError, match="At least one replica"):
        ProxySettings("127.0.0.1", 8080, [])


def test_replica_names_must_differ_as_they_are_cookie_values() -> None:
    twins = [Server("a", "127.0.0.1", 9001), Server("a", "127.0.0.1", 9002)]
    with pytest.raises(ValueError, match="must differ"):
        ProxySettings("127.0.0.1", 8080, twins)


@pytest.mark.parametrize("name", ["", "a b", "a;b", "x\nserver evil"])
def test_a_replica_name_that_could_break_the_file_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="letters, digits"):
        ProxySettings("127.0.0.1", 8080, [Server(name, "127.0.0.1", 9001)])


@pytest.mark.parametrize("port", [0, 65536])
def test_ports_out_of_range_are_refused(port: int) -> None:
    with pytest.raises(ValueError, match=f"Port {port}"):
        ProxySettings("127.0.0.1", port, local_servers([9001]))
