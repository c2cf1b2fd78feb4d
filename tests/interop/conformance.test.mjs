// Interop test: the conformance example (`examples/conformance`) driven by the official
// `socket.io-client` v4, over HTTP long-polling upgraded to WebSocket, WebSocket only, and
// long-polling only.
//
// Each transport gets one Engine.IO connection (a `Manager`) carrying both namespaces, `/`
// (with an auth payload) and `/custom` (without), and checks:
// - the `auth` event echoes the auth payload, or `{}`;
// - `message` comes back as `message-back`, `message-with-ack` acks, and `emit-with-ack`
//   asks for an ack then sends the ack's arguments back: with several arguments, binary
//   (`Buffer`) ones among them, given back in order and still binary, and with none;
// - `emitWithAck` resolves (with the first argument, as socket.io-client does);
// - leaving `/custom` keeps `/` working on the same connection;
// - the dynamic namespace `/tenant/{tenant}`: `whoami` acks the tenant, two tenants on one
//   connection, the tenant `forbidden` refused by the guard, an unknown path refused.
//
// Run against a running server:
//   CONFORMANCE_URL=http://127.0.0.1:3000 node --test tests/interop/conformance.test.mjs
// (the server: `cargo run -p example-conformance`), or let
// `cargo test -p gateway-tests --test interop_conformance` start one and run this.
//
// Every wait has a timeout, so a missing ack or event fails the test instead of hanging.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Manager } from "socket.io-client";
import msgpackParser from "socket.io-msgpack-parser";

const CONFORMANCE_URL = process.env.CONFORMANCE_URL;
if (!CONFORMANCE_URL) {
  throw new Error("set CONFORMANCE_URL to the server's base URL, e.g. http://127.0.0.1:3000");
}
const BASE = CONFORMANCE_URL.replace(/\/+$/, "");
/** `PARSER=msgpack` runs every check with socket.io-msgpack-parser (the server must match). */
const PARSER = process.env.PARSER === "msgpack" ? { parser: msgpackParser } : {};
/** The `auth` of a client without one: `{}`, or in msgpack the `nil` such a client sends. */
const NO_AUTH = PARSER.parser ? null : {};

/** How long to wait for an ack or an event that must arrive. */
const WAIT_MS = 3000;
/** How long to wait before concluding that an event that must not arrive did not. */
const QUIET_MS = 200;

/** Arguments of every JSON type, with binary ones among them. */
const MIXED = [
  1,
  "2",
  { 3: [true] },
  Buffer.from([1, 2, 3]),
  null,
  -1.5,
  false,
  [1, [2, "x"], { k: null }],
  Buffer.from([4, 5, 6]),
  {},
  "",
];

/** Argument lists that must come back exactly as sent. */
const CASES = [
  ["mixed JSON and binary", MIXED],
  ["binary first", [Buffer.from("héllo"), "after"]],
  ["one array (stays one argument)", [[1, 2]]],
  ["no argument", []],
];

/** Binary as received (Buffer, ArrayBuffer or a typed array) turned into a Buffer. */
function norm(value) {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return value;
}

/** Asserts `received` are `expected`, binary arguments still binary (not arrays of numbers). */
function assertArgs(received, expected, what) {
  assert.equal(received.length, expected.length, `${what}: ${received.length} arguments`);
  received.forEach((arg, i) => {
    if (Buffer.isBuffer(expected[i])) {
      assert.ok(
        Buffer.isBuffer(arg) || arg instanceof ArrayBuffer || ArrayBuffer.isView(arg),
        `${what}: argument ${i} is binary, got ${JSON.stringify(arg)}`,
      );
    }
  });
  assert.deepStrictEqual(received.map(norm), expected, what);
}

/** Resolves with the promise's value, or rejects with `what` after `ms` ms. */
function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves once `socket` is connected; rejects on `connect_error` or after WAIT_MS. */
function connected(socket) {
  if (socket.connected) return Promise.resolve(socket);
  return within(
    new Promise((resolve, reject) => {
      socket.once("connect", () => resolve(socket));
      socket.once("connect_error", (err) => reject(new Error(`${socket.name}: connect_error: ${err.message}`)));
    }),
    WAIT_MS,
    `${socket.name}: connect`,
  );
}

/** Resolves with the arguments of the next `event`; rejects after WAIT_MS. */
function next(socket, event) {
  let onEvent;
  return within(
    new Promise((resolve) => {
      onEvent = (...args) => resolve(args);
      socket.once(event, onEvent);
    }),
    WAIT_MS,
    `${socket.name}: "${event}"`,
  ).finally(() => socket.off(event, onEvent));
}

/** Resolves after QUIET_MS if no `event` arrived meanwhile; rejects as soon as one does. */
function expectNone(socket, event) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, onEvent);
      resolve();
    }, QUIET_MS);
    function onEvent(...args) {
      clearTimeout(timer);
      socket.off(event, onEvent);
      reject(new Error(`${socket.name}: unexpected "${event}": ${JSON.stringify(args)}`));
    }
    socket.on(event, onEvent);
  });
}

/** Emits with an ack callback and resolves with every argument of the ack. */
function ackArgs(socket, event, ...args) {
  return new Promise((resolve, reject) => {
    socket.timeout(WAIT_MS).emit(event, ...args, (err, ...reply) => {
      if (err) reject(new Error(`${socket.name}: no ack for "${event}" within ${WAIT_MS} ms`));
      else resolve(reply);
    });
  });
}

/**
 * Emits `emit-with-ack` with `args`; when the server asks for an ack, answers with
 * `answer`; resolves with what the server asked with and what it sent back afterwards.
 */
function emitWithAckRoundTrip(socket, args, answer) {
  let onEvent;
  const roundTrip = new Promise((resolve, reject) => {
    let asked = null;
    onEvent = (...received) => {
      const ack = received.at(-1);
      if (typeof ack === "function") {
        if (asked !== null) reject(new Error(`${socket.name}: asked for an ack twice`));
        asked = received.slice(0, -1);
        ack(...answer);
      } else if (asked === null) {
        reject(new Error(`${socket.name}: "emit-with-ack" without an ack request first`));
      } else {
        resolve({ asked, back: received });
      }
    };
    socket.on("emit-with-ack", onEvent);
  });
  socket.emit("emit-with-ack", ...args);
  return within(roundTrip, WAIT_MS, `${socket.name}: emit-with-ack round trip`).finally(() =>
    socket.off("emit-with-ack", onEvent),
  );
}

const TRANSPORTS = [
  { name: "long-polling upgraded to WebSocket", opts: {}, initial: "polling", final: "websocket" },
  { name: "WebSocket only", opts: { transports: ["websocket"] }, initial: "websocket", final: "websocket" },
  { name: "long-polling only", opts: { transports: ["polling"] }, initial: "polling", final: "polling" },
];

for (const transport of TRANSPORTS) {
  describe(`conformance example over ${transport.name}`, { timeout: 30_000 }, () => {
    let manager;
    let main;
    let custom;
    let upgraded;
    const auths = new Map();

    before(async () => {
      manager = new Manager(BASE, {
        reconnection: false,
        timeout: WAIT_MS,
        ...PARSER,
        ...transport.opts,
      });
      main = manager.socket("/", { auth: { token: "123" } });
      custom = manager.socket("/custom");
      main.name = `${transport.name} /`;
      custom.name = `${transport.name} /custom`;
      // `auth` comes right after CONNECT: listen from the very start.
      for (const socket of [main, custom]) {
        auths.set(socket, next(socket, "auth"));
      }
      upgraded = new Promise((resolve) => manager.engine?.once("upgrade", (t) => resolve(t.name)));
      await Promise.all([connected(main), connected(custom)]);
    });

    after(() => {
      main?.close();
      custom?.close();
      manager?.engine?.close();
    });

    it("joins / and /custom on one connection", async () => {
      assert.equal(main.io, custom.io);
      assert.equal(typeof main.id, "string");
      assert.equal(typeof custom.id, "string");
      if (transport.final !== transport.initial) {
        assert.equal(await within(upgraded, WAIT_MS, "upgrade"), transport.final);
      }
      assert.equal(manager.engine.transport.name, transport.final);
    });

    it("gets auth with the auth payload, or {}", async () => {
      assert.deepStrictEqual(await auths.get(main), [{ token: "123" }]);
      assert.deepStrictEqual(await auths.get(custom), [NO_AUTH]);
    });

    it("gets message-back with the same arguments", async () => {
      for (const socket of [main, custom]) {
        for (const [what, args] of CASES) {
          const [back] = await Promise.all([next(socket, "message-back"), socket.emit("message", ...args)]);
          assertArgs(back, args, `${socket.name}: message, ${what}`);
        }
      }
    });

    it("gets every argument back in the message-with-ack ack", async () => {
      for (const socket of [main, custom]) {
        for (const [what, args] of CASES) {
          assertArgs(await ackArgs(socket, "message-with-ack", ...args), args, `${socket.name}: ${what}`);
        }
      }
    });

    it("resolves emitWithAck with the first argument", async () => {
      for (const socket of [main, custom]) {
        const first = await socket.timeout(WAIT_MS).emitWithAck("message-with-ack", ...MIXED);
        assert.equal(first, 1);
        const bin = await socket.timeout(WAIT_MS).emitWithAck("message-with-ack", Buffer.from([9, 8, 7]), "x");
        assert.deepStrictEqual(norm(bin), Buffer.from([9, 8, 7]));
        const none = await socket.timeout(WAIT_MS).emitWithAck("message-with-ack");
        assert.equal(none, undefined);
      }
    });

    it("answers emit-with-ack, then gets the ack's arguments back", async () => {
      for (const socket of [main, custom]) {
        for (const [what, args] of CASES) {
          // Answer with other arguments: the second emit carries the ack's, not the event's.
          const answer = [...args].reverse().concat([Buffer.from("ack"), "from the client"]);
          const { asked, back } = await emitWithAckRoundTrip(socket, args, answer);
          assertArgs(asked, args, `${socket.name}: emit-with-ack asked, ${what}`);
          assertArgs(back, answer, `${socket.name}: emit-with-ack back, ${what}`);
        }
        const { back } = await emitWithAckRoundTrip(socket, [1], []);
        assertArgs(back, [], `${socket.name}: an empty ack`);
      }
    });

    it("leaves /custom and keeps / on the same connection", async () => {
      const engine = manager.engine;
      custom.disconnect();
      assert.equal(custom.connected, false);
      assert.deepStrictEqual(await ackArgs(main, "message-with-ack", "still here", Buffer.from([1])), [
        "still here",
        Buffer.from([1]),
      ]);
      await expectNone(main, "disconnect");
      assert.equal(main.connected, true);
      assert.equal(manager.engine, engine, "same Engine.IO connection");

      // And joins /custom again on it.
      const auth = next(custom, "auth");
      custom.connect();
      await connected(custom);
      assert.deepStrictEqual(await auth, [NO_AUTH]);
      assert.deepStrictEqual(await ackArgs(custom, "message-with-ack", 2), [2]);
      assert.equal(manager.engine, engine, "same Engine.IO connection");
    });
  });
}

describe("the dynamic namespace /tenant/{tenant}", { timeout: 30_000 }, () => {
  /** A socket of `manager` on `path`, rejected on connect_error. */
  function join(manager, path) {
    const socket = manager.socket(path);
    socket.name = path;
    return connected(socket);
  }

  for (const transport of TRANSPORTS) {
    it(`over ${transport.name}: whoami per tenant, the forbidden tenant and unknown paths refused`, async () => {
      const manager = new Manager(BASE, { reconnection: false, timeout: WAIT_MS, ...PARSER, ...transport.opts });
      try {
        const [acme, globex] = await Promise.all([join(manager, "/tenant/acme"), join(manager, "/tenant/globex")]);
        assert.deepStrictEqual(await acme.timeout(WAIT_MS).emitWithAck("whoami"), { ok: true, data: { tenant: "acme" } });
        assert.deepStrictEqual(await globex.timeout(WAIT_MS).emitWithAck("whoami"), { ok: true, data: { tenant: "globex" } });
        await assert.rejects(join(manager, "/tenant/forbidden"), /connect_error: tenant `forbidden` is closed/);
        await assert.rejects(join(manager, "/tenant"), /connect_error: Invalid namespace/);
        await assert.rejects(join(manager, "/tenant/acme/more"), /connect_error: Invalid namespace/);
        // A broadcast reaches the tenant's other sockets only.
        const other = new Manager(BASE, { reconnection: false, timeout: WAIT_MS, ...PARSER, ...transport.opts });
        try {
          const acme2 = await join(other, "/tenant/acme");
          const heard = next(acme2, "shout");
          const unheard = expectNone(globex, "shout");
          acme.emit("shout", "hello acme", Buffer.from([7]));
          assertArgs(await heard, ["hello acme", Buffer.from([7])], "acme's other socket");
          await unheard;
        } finally {
          other.engine?.close();
        }
        // The refusals cost nothing to the tenants already joined.
        assert.deepStrictEqual(await acme.timeout(WAIT_MS).emitWithAck("whoami"), { ok: true, data: { tenant: "acme" } });
      } finally {
        manager.engine?.close();
      }
    });
  }
});
