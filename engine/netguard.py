"""A socket guard: any connection to a non-loopback address is refused and recorded.

The test suite installs it for every test, and `deepdraft self-test` installs it to prove
the installed app makes no network attempt. Recording matters because some libraries
swallow connection errors (telemetry clients do), so callers check `attempts`, not only
whether an exception surfaced."""
from __future__ import annotations

import ipaddress
import os
import socket
import sys

# `deepdraft self-test` sets this to a file: every process that imports `engine` (the
# window, the engine process, workers they spawn; they inherit the environment) installs
# the guard and appends each attempt to it, named by process, so the self-test sees them.
LOG_ENV = "DEEPDRAFT_NETGUARD_LOG"

attempts: list[str] = []
_original_connect = socket.socket.connect
_original_connect_ex = socket.socket.connect_ex
_original_getaddrinfo = socket.getaddrinfo
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


class NetworkBlocked(ConnectionRefusedError):
    pass


def _is_local_host(host) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode()
    host = str(host).strip("[]").lower()
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _check(sock, address) -> None:
    if sock.family == getattr(socket, "AF_UNIX", None):
        return
    host = address[0] if isinstance(address, tuple) else address
    if not _is_local_host(host):
        _record(f"connect {address!r}")
        raise NetworkBlocked(f"network access blocked: {address!r}")


def _connect(self, address):
    _check(self, address)
    return _original_connect(self, address)


def _connect_ex(self, address):
    _check(self, address)
    return _original_connect_ex(self, address)


def _getaddrinfo(host, *args, **kwargs):
    if not _is_local_host(host):
        _record(f"resolve {host!r}")
        raise NetworkBlocked(f"name lookup blocked: {host!r}")
    return _original_getaddrinfo(host, *args, **kwargs)


def _record(attempt: str) -> None:
    attempts.append(attempt)
    log = os.environ.get(LOG_ENV)
    if log:
        try:
            with open(log, "a", encoding="utf-8") as out:   # one short line per write
                out.write(f"{process_name()}: {attempt}\n")
        except OSError:
            pass


def process_name() -> str:
    import multiprocessing

    args = " ".join(os.path.basename(a) for a in sys.argv[:3])
    return f"pid {os.getpid()} ({args or '?'}; {multiprocessing.current_process().name})"


def install_from_environment() -> None:
    """Install the guard when a parent (the self-test) asked for it through LOG_ENV."""
    if os.environ.get(LOG_ENV):
        install()


def logged_attempts() -> list[str]:
    """Attempts recorded by any guarded process, from LOG_ENV's file."""
    log = os.environ.get(LOG_ENV)
    try:
        with open(log or "", encoding="utf-8") as lines:
            return [line.rstrip("\n") for line in lines if line.strip()]
    except OSError:
        return []


def install() -> None:
    socket.socket.connect = _connect
    socket.socket.connect_ex = _connect_ex
    socket.getaddrinfo = _getaddrinfo


def uninstall() -> None:
    socket.socket.connect = _original_connect
    socket.socket.connect_ex = _original_connect_ex
    socket.getaddrinfo = _original_getaddrinfo


def active() -> bool:
    return socket.socket.connect is _connect
