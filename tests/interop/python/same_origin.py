"""python-socketio over WebSocket against an app with an Origin allowlist.

websocket-client (python-socketio's WebSocket transport) sends `Origin: http://<host>:<port>`,
the server's own origin, which the allowlist accepts (book/src/throttling-and-limits.md).
Connects to `/echo` with the WebSocket transport only, calls `ping` and prints the ack.

Usage: python3 same_origin.py http://127.0.0.1:PORT
"""

import json
import sys

import socketio


def main() -> int:
    url = sys.argv[1]
    sio = socketio.Client(reconnection=False)
    sio.connect(url, namespaces=["/echo"], transports=["websocket"], wait_timeout=5)
    ack = sio.call("ping", {"n": 1}, namespace="/echo", timeout=5)
    print("ack:", json.dumps(ack))
    sio.disconnect()
    if ack != {"ok": True, "data": "pong"}:
        print("unexpected ack", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
