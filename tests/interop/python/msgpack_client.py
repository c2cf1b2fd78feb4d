"""Interop test: python-socketio's msgpack serializer against a server built with
`GatewayApp::parser(Parser::MsgPack)` (tests/tests/interop_msgpack.rs starts it).

    python3 tests/interop/python/msgpack_client.py http://127.0.0.1:3000 websocket

Connects to `/mp` over the given transport, then checks an envelope ack, a validation
error and a binary round trip. Exits 1 with the failing check on the first mismatch.
"""

import sys

import socketio

TIMEOUT = 5


def main(url: str, transport: str) -> None:
    client = socketio.Client(serializer="msgpack", reconnection=False)
    client.connect(url, namespaces=["/mp"], transports=[transport], wait_timeout=TIMEOUT)
    try:
        ack = client.call("echo", {"text": "hi", "n": 3}, namespace="/mp", timeout=TIMEOUT)
        expect(ack == {"ok": True, "data": {"text": "hi", "n": 3}}, f"echo ack: {ack!r}")

        ack = client.call("echo", {"text": "", "n": 3}, namespace="/mp", timeout=TIMEOUT)
        expect(ack["ok"] is False, f"validation ack: {ack!r}")
        expect(ack["error"]["code"] == "validation_failed", f"validation code: {ack!r}")

        ack = client.call("echo", 42, namespace="/mp", timeout=TIMEOUT)
        expect(ack["error"]["code"] == "bad_payload", f"bad payload: {ack!r}")

        blob = bytes(range(256))
        ack = client.call("bytes", blob, namespace="/mp", timeout=TIMEOUT)
        expect(ack == {"ok": True, "data": blob}, f"binary round trip: {ack!r}")
        print(f"python-socketio msgpack over {transport}: 4 checks passed")
    finally:
        client.disconnect()


def expect(condition: bool, what: str) -> None:
    if not condition:
        print(f"FAILED: {what}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
