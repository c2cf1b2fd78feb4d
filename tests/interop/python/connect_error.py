"""Interop test: a connection refused by a gateway's connection guard reaches
python-socketio's `connect_error`, with the guard's message, within a second, on both
transports.

The server is the `/private` gateway of `tests/tests/interop_connect_error.rs`: its guard
refuses unless `auth.token == "good"`, with the message `invalid token`; its `ping` handler
acks `pong`.

Usage (needs `python3 -m pip install -r tests/interop/python/requirements.txt`):
    python3 tests/interop/python/connect_error.py http://127.0.0.1:3000
or let `cargo test -p gateway-tests --test interop_connect_error` start a server and run it.
Exits 0 when every check passed, 1 otherwise. Prints one `timing:` line per transport
(min/median/max in ms, from the `connect()` call to the `connect_error` event), read by the
Rust runner, and one `connect-return:` line with how long `connect()` took to return.

Measured to the event, not to the return of `connect()` (book/src/troubleshooting-clients.md, "python-socketio over polling"):
over polling, for a quarter to a half of the refusals, python-socketio's `connect()`
returns only at the server's next ping, because python-engineio's `disconnect()` strands
its CLOSE packet behind a POST still in flight and waits for the next GET to come back.
The event itself fires as soon as the CONNECT_ERROR packet arrives. `wait_timeout` does
not shorten that wait (it happens after the namespace's answer), so the runner starts the
server with a 500 ms ping interval instead: the slow returns then cost half a second, not
25 s. The return times are printed too, to show the trap, but not asserted.
"""

import statistics
import sys
import threading
import time
import traceback
from importlib.metadata import version

import socketio

NAMESPACE = "/private"
TRIES = 20
# Every refusal must reach `connect_error` within this.
LIMIT_S = 1.0
# How long `connect()` may wait for the namespace. A refusal ends that wait at once, a
# CONNECT_ERROR is an answer, so this bounds only a server that never answers.
WAIT_TIMEOUT_S = 3.0
# Acks of the good-token try.
CALL_TIMEOUT_S = 3.0
# A `connect()` that returns later than this after a refusal waited for a ping (the trap
# above); its normal return is within a few milliseconds of the event.
SLOW_RETURN_MS = 250

failures = []


def fail(what):
    failures.append(what)
    print(f"FAIL: {what}", flush=True)


def refused_try(url, transport):
    """Connects with a bad token. Returns (ms to the event, ms to connect()'s return,
    the event's data), or raises AssertionError."""
    sio = socketio.Client(reconnection=False)
    fired = threading.Event()
    seen = {}

    # On `/private`: `@sio.event def connect_error(data)` would register the handler on
    # `/` only, and python-socketio looks handlers up by namespace.
    @sio.on("connect_error", namespace=NAMESPACE)
    def connect_error(data):
        seen.setdefault("at", time.perf_counter())
        seen.setdefault("data", data)
        fired.set()

    start = time.perf_counter()
    try:
        sio.connect(
            url,
            namespaces=[NAMESPACE],
            auth={"token": "bad"},
            transports=[transport],
            wait_timeout=WAIT_TIMEOUT_S,
        )
    except socketio.exceptions.ConnectionError:
        pass
    else:
        sio.disconnect()
        raise AssertionError("connected with a bad token")
    returned = time.perf_counter()
    if not fired.wait(timeout=WAIT_TIMEOUT_S):
        raise AssertionError("connect() failed but connect_error never fired")
    return (seen["at"] - start) * 1000, (returned - start) * 1000, seen["data"]


def good_try(url, transport):
    """Connects with the good token and calls `ping`; raises AssertionError on failure."""
    sio = socketio.Client(reconnection=False)
    try:
        sio.connect(
            url,
            namespaces=[NAMESPACE],
            auth={"token": "good"},
            transports=[transport],
            wait_timeout=WAIT_TIMEOUT_S,
        )
        assert sio.transport() == transport, f"transport is {sio.transport()}"
        reply = sio.call("ping", namespace=NAMESPACE, timeout=CALL_TIMEOUT_S)
        assert reply == {"ok": True, "data": "pong"}, f"ping acked {reply!r}"
    finally:
        sio.disconnect()


def summary(values):
    return f"{min(values):.1f} {statistics.median(values):.1f} {max(values):.1f}"


def main():
    if len(sys.argv) != 2:
        print(f"usage: {sys.argv[0]} <server base URL>", file=sys.stderr)
        return 2
    url = sys.argv[1].rstrip("/")
    print(f"python-socketio {version('python-socketio')}, python-engineio"
          f" {version('python-engineio')}, against {url}{NAMESPACE}", flush=True)

    for transport in ("polling", "websocket"):
        to_event, to_return = [], []
        for i in range(1, TRIES + 1):
            what = f"python {transport} try {i}"
            try:
                event_ms, return_ms, data = refused_try(url, transport)
            except Exception as exc:  # noqa: BLE001 - report and go on
                fail(f"{what}: {exc!r}")
                traceback.print_exc()
                continue
            message = data.get("message") if isinstance(data, dict) else None
            if message != "invalid token":
                fail(f"{what}: connect_error data {data!r}, wanted message 'invalid token'")
            if event_ms >= LIMIT_S * 1000:
                fail(f"{what}: connect_error after {event_ms:.1f} ms")
            to_event.append(event_ms)
            to_return.append(return_ms)
        if to_event:
            # Read by the Rust runner: `timing: <client> <transport> <n> <min> <median> <max>`.
            print(f"timing: python {transport} {len(to_event)} {summary(to_event)}", flush=True)
            slow = sum(1 for ms in to_return if ms >= SLOW_RETURN_MS)
            print(f"connect-return: python {transport} {len(to_return)} {summary(to_return)}"
                  f" ({slow} of {len(to_return)} after >= {SLOW_RETURN_MS} ms)", flush=True)
        try:
            good_try(url, transport)
            print(f"ok: python {transport} good token connects, ping acks pong", flush=True)
        except Exception as exc:  # noqa: BLE001 - report and go on
            fail(f"python {transport} good token: {exc!r}")
            traceback.print_exc()

    if failures:
        print(f"{len(failures)} check(s) failed", flush=True)
        return 1
    print("all checks passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
