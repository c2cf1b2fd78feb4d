// Interop test: the official `socket.io-client` v4 with `socket.io-msgpack-parser` against
// a server built with `GatewayApp::parser(Parser::MsgPack)` (tests/tests/interop_msgpack.rs
// starts it and sets GATEWAY_URL). An envelope ack, a validation error, a payload that does
// not decode, and a binary round trip, on both transports.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { io } from "socket.io-client";
import parser from "socket.io-msgpack-parser";

const BASE = process.env.GATEWAY_URL;
const WAIT_MS = 5000;

function connect(transport) {
  return new Promise((resolve, reject) => {
    const socket = io(`${BASE}/mp`, { forceNew: true, reconnection: false, transports: [transport], parser });
    const timer = setTimeout(() => reject(new Error(`${transport}: not connected in ${WAIT_MS} ms`)), WAIT_MS);
    socket.on("connect", () => { clearTimeout(timer); resolve(socket); });
    socket.on("connect_error", (err) => { clearTimeout(timer); reject(err); });
  });
}

describe("msgpack with socket.io-client v4 and socket.io-msgpack-parser", { timeout: 30_000 }, () => {
  for (const transport of ["websocket", "polling"]) {
    it(`${transport}: acks, errors and binary`, async () => {
      const socket = await connect(transport);
      try {
        const call = (...args) => socket.timeout(WAIT_MS).emitWithAck(...args);
        assert.deepStrictEqual(await call("echo", { text: "hi", n: 3 }), { ok: true, data: { text: "hi", n: 3 } });
        const invalid = await call("echo", { text: "", n: 3 });
        assert.equal(invalid.ok, false);
        assert.equal(invalid.error.code, "validation_failed");
        const bad = await call("echo", 42);
        assert.equal(bad.error.code, "bad_payload");
        // A Buffer (Node) is msgpack `bin`; notepack.io, the parser's codec, encodes a bare
        // Uint8Array view as an extension type instead.
        const blob = Buffer.from(Uint8Array.from({ length: 256 }, (_, i) => i));
        const back = await call("bytes", blob);
        assert.equal(back.ok, true, JSON.stringify(back));
        assert.deepStrictEqual(Buffer.from(back.data), blob);
      } finally {
        socket.close();
      }
    });
  }
});
