"""`python -m demo_api --host 127.0.0.1 --port 8765 [--faults] [--hostile [--beacon-url URL]]`."""

from __future__ import annotations

import argparse

import uvicorn

from demo_api.app import create_app
from demo_api.settings import DEFAULT_BEACON_URL, Settings, tokens_from_env


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m demo_api", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--faults", action="store_true", help="enable /_demo/faults")
    parser.add_argument(
        "--hostile", action="store_true", help="add the hostile-content jobs (security tests)"
    )
    parser.add_argument(
        "--beacon-url",
        default=DEFAULT_BEACON_URL,
        help="where the hostile jobs' links point (a recorder on another loopback address)",
    )
    parser.add_argument(
        "--progress-seconds",
        type=float,
        default=Settings().progress_seconds,
        help="seconds until the progressing scenarios complete",
    )
    args = parser.parse_args(argv)
    settings = Settings(
        faults=args.faults,
        hostile=args.hostile,
        hostile_beacon_url=args.beacon_url,
        tokens=tokens_from_env(),
        progress_seconds=args.progress_seconds,
    )
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")


if __name__ == "__main__":
    main()
