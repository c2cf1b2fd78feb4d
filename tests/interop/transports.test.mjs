// Interop test: the official `socket.io-client` v4 against servers that accept one
// transport only (`GatewayApp::transports`). The allowed transport connects and gets its
// ack; the refused one ends in `connect_error`, without connecting.
//
// The servers are those of `tests/tests/transports.rs`: `WS_URL` accepts WebSocket only,
// `POLLING_URL` long-polling only; each serves `/t` whose `ping` acks `pong`.
//   WS_URL=... POLLING_URL=... node --test tests/interop/transports.test.mjs

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { io } from "socket.io-client";

const WAIT_MS = 5000;

/** Connects to `${base}/t` with `transports` and resolves "connect" or the error message. */
function attempt(base, transports) {
  return new Promise((resolve, reject) => {
    const socket = io(`${base}/t`, { forceNew: true, reconnection: false, transports, timeout: WAIT_MS });
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`${transports}: neither connect nor connect_error within ${WAIT_MS} ms`));
    }, WAIT_MS);
    socket.on("connect", async () => {
      clearTimeout(timer);
      try {
        const reply = await socket.timeout(WAIT_MS).emitWithAck("ping");
        assert.deepStrictEqual(reply, { ok: true, data: "pong" });
        resolve({ connected: true, transport: socket.io.engine.transport.name });
      } catch (err) {
        reject(err);
      } finally {
        socket.close();
      }
    });
    socket.on("connect_error", (err) => {
      clearTimeout(timer);
      socket.close();
      resolve({ connected: false, message: err.message });
    });
  });
}

describe("one transport only, with socket.io-client v4", { timeout: 30_000 }, () => {
  it("a WebSocket-only server: websocket connects, polling gets connect_error", async () => {
    const ok = await attempt(process.env.WS_URL, ["websocket"]);
    assert.deepStrictEqual(ok, { connected: true, transport: "websocket" });
    const refused = await attempt(process.env.WS_URL, ["polling"]);
    assert.equal(refused.connected, false);
    assert.equal(refused.message, "xhr poll error");
  });

  it("a polling-only server: polling connects and stays on polling, websocket gets connect_error", async () => {
    // The default `["polling", "websocket"]` would try to upgrade: it must stay on polling.
    const ok = await attempt(process.env.POLLING_URL, ["polling", "websocket"]);
    assert.deepStrictEqual(ok, { connected: true, transport: "polling" });
    const refused = await attempt(process.env.POLLING_URL, ["websocket"]);
    assert.equal(refused.connected, false);
    assert.equal(refused.message, "websocket error");
  });
});
