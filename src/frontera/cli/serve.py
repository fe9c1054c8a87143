"""``frontera serve``: start the dashboard (the same as ``make run``), from a checkout or an installed package."""

from __future__ import annotations

import argparse
import os
import sys

from frontera.i18n import _
from frontera.paths import app_script, bundle_root


def serve_command(port: int, address: str, extra: list[str]) -> list[str]:
    """The ``streamlit run`` command line for the app: static serving on, no usage statistics, a named
    address (with none, a headless Streamlit looks up the machine's external IP on the internet)."""
    return [
        sys.executable, "-m", "streamlit", "run", str(app_script()),
        "--server.port", str(port), "--server.address", address,
        "--server.headless", "true", "--server.enableStaticServing", "true",
        "--browser.gatherUsageStats", "false", *extra,
    ]  # fmt: skip


def cmd_serve(args: argparse.Namespace) -> int:
    # Streamlit reads .streamlit/config.toml from the folder it starts in: start it beside app.py.
    # This process becomes Streamlit (exec), so a signal to it (Ctrl-C, a service manager's stop) reaches the server.
    command = serve_command(args.port, args.address, args.streamlit_args)
    os.chdir(bundle_root())
    os.execv(command[0], command)
    return 0  # not reached


def register(subparsers, add_view_args) -> None:
    p = subparsers.add_parser("serve", help=_("start the dashboard in this machine's browser (http://localhost:8501)"))
    p.add_argument("--port", type=int, default=8501, metavar=_("PORT"), help=_("port to listen on (default 8501)"))
    p.add_argument(
        "--address",
        default="localhost",
        metavar=_("ADDRESS"),
        help=_("address to listen on (default localhost: this machine only; name an interface to serve others)"),
    )
    p.add_argument("streamlit_args", nargs=argparse.REMAINDER, help=_("further `streamlit run` options"))
    p.set_defaults(func=cmd_serve)
