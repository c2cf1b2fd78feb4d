"""How long python-socketio's `connect()` takes to return after the server refuses the
namespace, over HTTP long-polling (book/src/troubleshooting-clients.md, "python-socketio
over polling"): run by `python-refusal.sh` against the conformance example, whose guard
refuses `/tenant/forbidden`.

    python3 upstream/engineioxide/python_refusal.py http://127.0.0.1:3000 TRIES

Prints one line: the tries, how many returned later than SLOW_MS (they waited for the
server's next ping), and the median and largest return time in ms. Needs
`python3 -m pip install -r tests/interop/python/requirements.txt`.
"""

import statistics
import sys
import time

import socketio

NAMESPACE = "/tenant/forbidden"
# A return later than this waited for a ping; a normal one is a few milliseconds.
SLOW_MS = 250


def refused_return_ms(url):
    sio = socketio.Client(reconnection=False)
    start = time.perf_counter()
    try:
        sio.connect(url, namespaces=[NAMESPACE], transports=["polling"], wait_timeout=3)
    except socketio.exceptions.ConnectionError:
        pass
    else:
        raise SystemExit(f"{NAMESPACE} was not refused")
    elapsed = (time.perf_counter() - start) * 1000
    sio.disconnect()
    return elapsed


def main(url, tries):
    returns = [refused_return_ms(url) for _ in range(int(tries))]
    slow = sum(1 for ms in returns if ms > SLOW_MS)
    print(
        f"{len(returns)} refusals, {slow} returned after more than {SLOW_MS} ms; "
        f"median {statistics.median(returns):.0f} ms, largest {max(returns):.0f} ms"
    )


if __name__ == "__main__":
    main(*sys.argv[1:3])
