"""Records every name lookup and outgoing connection of a Python process (tests only).

Put this folder first on ``PYTHONPATH`` and set ``FRONTERA_NETLOG`` to a file: Python
imports ``sitecustomize`` at start-up, and from then on every ``socket.getaddrinfo``,
``socket.gethostbyname``, ``socket.create_connection`` and ``socket.socket.connect``/
``connect_ex``/``sendto`` appends one JSON line ``{"call", "host", "port", "pid"}`` to that
file. Nothing is blocked: the test reads the file afterwards. Without ``FRONTERA_NETLOG``
it does nothing.
"""

from __future__ import annotations

import json
import os
import socket
import threading

_LOG = os.environ.get("FRONTERA_NETLOG")
_LOCK = threading.Lock()


def _record(call: str, address) -> None:  # whatever the socket call was given
    if isinstance(address, (tuple, list)) and address:
        host, port = address[0], address[1] if len(address) > 1 else None
    else:
        host, port = address, None
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    line = json.dumps(
        {"call": call, "host": str(host), "port": port if isinstance(port, (int, str)) else None, "pid": os.getpid()}
    )
    with _LOCK, open(_LOG, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def _install() -> None:
    real_getaddrinfo, real_gethostbyname = socket.getaddrinfo, socket.gethostbyname
    real_create_connection = socket.create_connection
    real_connect, real_connect_ex, real_sendto = socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto

    def getaddrinfo(host, port, *args, **kwargs):
        _record("getaddrinfo", (host, port))
        return real_getaddrinfo(host, port, *args, **kwargs)

    def gethostbyname(host):
        _record("gethostbyname", (host, None))
        return real_gethostbyname(host)

    def create_connection(address, *args, **kwargs):
        _record("create_connection", address)
        return real_create_connection(address, *args, **kwargs)

    def _family_address(sock, address):
        return ("unix:" + str(address), None) if sock.family == getattr(socket, "AF_UNIX", None) else address

    def connect(self, address):
        _record("connect", _family_address(self, address))
        return real_connect(self, address)

    def connect_ex(self, address):
        _record("connect_ex", _family_address(self, address))
        return real_connect_ex(self, address)

    def sendto(self, data, *args):
        _record("sendto", _family_address(self, args[-1]))
        return real_sendto(self, data, *args)

    socket.getaddrinfo, socket.gethostbyname, socket.create_connection = getaddrinfo, gethostbyname, create_connection
    socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto = connect, connect_ex, sendto


if _LOG:
    _install()
