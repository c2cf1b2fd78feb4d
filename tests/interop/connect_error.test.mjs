// Interop test: a connection refused by a gateway's connection guard reaches the official
// `socket.io-client` v4's `connect_error`, with the guard's message, within a second, on
// both transports.
//
// The server is the `/private` gateway of `tests/tests/interop_connect_error.rs`: its guard
// refuses unless `auth.token == "good"`, with the message `invalid token`; its `ping`
// handler acks `pong`.
//
// Run against a running server:
//   GATEWAY_URL=http://127.0.0.1:3000 node --test tests/interop/connect_error.test.mjs
// or let `cargo test -p gateway-tests --test interop_connect_error` start one and run this.
//
// Every wait has a timeout, so a missing event fails the test instead of hanging. Each
// transport prints one `timing:` line (min/median/max in ms, measured from the call that
// starts the connection to the `connect_error` event), collected by the Rust runner.

import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { describe, it } from "node:test";
import { io } from "socket.io-client";

const GATEWAY_URL = process.env.GATEWAY_URL;
if (!GATEWAY_URL) {
  throw new Error("set GATEWAY_URL to the server's base URL, e.g. http://127.0.0.1:3000");
}
const BASE = GATEWAY_URL.replace(/\/+$/, "");
const NAMESPACE = "/private";

/** Refused tries per transport. */
const TRIES = 20;
/** What every refusal must stay under, from the connect call to `connect_error`. */
const LIMIT_MS = 1000;
/** How long to wait for an event at all before failing (longer than LIMIT_MS, so a slow
 * refusal is reported with its time rather than as a timeout). */
const WAIT_MS = 3000;

/** A new client on `/private`, connecting at once; no reconnection, no shared manager. */
function client(transport, token) {
  return io(`${BASE}${NAMESPACE}`, {
    forceNew: true,
    reconnection: false,
    transports: [transport],
    timeout: WAIT_MS,
    auth: { token },
  });
}

/**
 * Connects with a bad token and resolves with `{ ms, message }`: the time from the `io()`
 * call (which starts connecting) to the `connect_error` event, and the error's message.
 * Rejects on `connect` (the guard let it in) or when no event arrives within WAIT_MS.
 */
function refusedTry(transport) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const socket = client(transport, "bad");
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`${transport}: no connect_error within ${WAIT_MS} ms`));
    }, WAIT_MS);
    socket.on("connect_error", (err) => {
      const ms = performance.now() - start;
      clearTimeout(timer);
      socket.close();
      resolve({ ms, message: err.message });
    });
    socket.on("connect", () => {
      clearTimeout(timer);
      socket.close();
      reject(new Error(`${transport}: connected with a bad token`));
    });
  });
}

/** Min, median and max of `values`, in ms with one decimal. */
function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  const f = (v) => v.toFixed(1);
  return { min: f(sorted[0]), median: f(median), max: f(sorted.at(-1)) };
}

describe("connection guard refusals with socket.io-client v4", { timeout: 60_000 }, () => {
  for (const transport of ["polling", "websocket"]) {
    it(`${transport}: ${TRIES} refusals each reach connect_error with "invalid token" in < ${LIMIT_MS} ms`, async () => {
      const times = [];
      for (let i = 0; i < TRIES; i++) {
        const { ms, message } = await refusedTry(transport);
        assert.equal(message, "invalid token", `${transport} try ${i + 1}: connect_error message`);
        assert.ok(ms < LIMIT_MS, `${transport} try ${i + 1}: connect_error after ${ms.toFixed(1)} ms`);
        times.push(ms);
      }
      const { min, median, max } = summary(times);
      // Read by the Rust runner: `timing: <client> <transport> <n> <min> <median> <max>`.
      console.log(`timing: node ${transport} ${times.length} ${min} ${median} ${max}`);
    });

    it(`${transport}: a good token connects and ping acks pong`, async () => {
      const socket = client(transport, "good");
      try {
        await new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${transport}: not connected after ${WAIT_MS} ms`)), WAIT_MS);
          socket.on("connect", () => {
            clearTimeout(timer);
            resolve();
          });
          socket.on("connect_error", (err) => {
            clearTimeout(timer);
            reject(new Error(`${transport}: connect_error with a good token: ${err.message}`));
          });
        });
        assert.equal(socket.io.engine.transport.name, transport);
        const reply = await socket.timeout(WAIT_MS).emitWithAck("ping");
        assert.deepStrictEqual(reply, { ok: true, data: "pong" });
      } finally {
        socket.close();
      }
    });
  }
});
