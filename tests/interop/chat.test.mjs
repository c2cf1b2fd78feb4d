// Interop test: the chat example (`examples/chat`) driven by the official
// `socket.io-client` v4, the client real front ends use.
//
// Run against a running server:
//   CHAT_URL=http://127.0.0.1:3000 node --test tests/interop/chat.test.mjs
// or let `cargo test -p gateway-tests --test interop_node` start one and run this.
//
// Every wait has a timeout, so a missing ack or event fails the test instead of hanging.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { io } from "socket.io-client";

const CHAT_URL = process.env.CHAT_URL;
if (!CHAT_URL) {
  throw new Error("set CHAT_URL to the chat server's base URL, e.g. http://127.0.0.1:3000");
}
const BASE = CHAT_URL.replace(/\/+$/, "");

/** How long to wait for an ack or an event that must arrive. */
const WAIT_MS = 3000;
/** How long to wait before concluding that an event that must not arrive did not. */
const QUIET_MS = 300;

/** Connects to `/chat` and resolves once connected; rejects on error or timeout. */
function connect(name, opts = {}) {
  const socket = io(`${BASE}/chat`, {
    forceNew: true, // one Engine.IO connection per client, even with the same URL
    reconnection: false,
    timeout: WAIT_MS,
    ...opts,
  });
  socket.name = name;
  // Everything the server broadcast to this client, recorded from the very start.
  socket.onlineUsers = [];
  socket.on("online-users", (users) => socket.onlineUsers.push(users));
  // The transport the Engine.IO connection starts with, and the upgrade, if any.
  socket.initialTransport = socket.io.engine?.transport?.name;
  socket.upgraded = new Promise((resolve) => socket.io.engine?.once("upgrade", (t) => resolve(t.name)));
  const connected = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${name}: not connected to ${BASE}/chat after ${WAIT_MS} ms`));
    }, WAIT_MS);
    const onConnect = () => {
      cleanup();
      resolve(socket);
    };
    const onError = (err) => {
      cleanup();
      reject(new Error(`${name}: connect_error: ${err.message}`));
    };
    function cleanup() {
      clearTimeout(timer);
      socket.off("connect", onConnect);
      socket.off("connect_error", onError);
    }
    socket.on("connect", onConnect);
    socket.on("connect_error", onError);
  });
  return { socket, connected };
}

/** Emits with an ack; rejects if the ack does not arrive in time. */
function ack(socket, event, ...args) {
  return socket.timeout(WAIT_MS).emitWithAck(event, ...args);
}

/** Resolves with the first `event` payload that passes `filter`; rejects after `timeout` ms. */
function waitFor(socket, event, { timeout = WAIT_MS, filter = () => true } = {}) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, onEvent);
      reject(new Error(`${socket.name}: no "${event}" within ${timeout} ms`));
    }, timeout);
    function onEvent(payload) {
      if (!filter(payload)) return;
      clearTimeout(timer);
      socket.off(event, onEvent);
      resolve(payload);
    }
    socket.on(event, onEvent);
  });
}

/** Resolves after `ms` ms if no `event` arrived meanwhile; rejects as soon as one does. */
function expectNone(socket, event, ms = QUIET_MS) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, onEvent);
      resolve();
    }, ms);
    function onEvent(payload) {
      clearTimeout(timer);
      socket.off(event, onEvent);
      reject(new Error(`${socket.name}: unexpected "${event}": ${JSON.stringify(payload)}`));
    }
    socket.on(event, onEvent);
  });
}

/** Resolves with the promise's value, or rejects with `what` after `ms` ms. */
function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `check` until it returns true; rejects with `what` after `timeout` ms. */
async function eventually(check, what, timeout = WAIT_MS) {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not true after ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("chat example with socket.io-client v4", { timeout: 30_000 }, () => {
  /** Default transports: HTTP long-polling first, then upgraded to WebSocket. */
  let alice;
  /** WebSocket only. */
  let bob;

  before(async () => {
    const a = connect("alice");
    const b = connect("bob", { transports: ["websocket"] });
    alice = a.socket;
    bob = b.socket;
    await Promise.all([a.connected, b.connected]);
  });

  after(() => {
    alice?.close();
    bob?.close();
  });

  it("connects over long-polling upgraded to WebSocket, and over WebSocket only", async () => {
    assert.equal(alice.initialTransport, "polling");
    assert.equal(await within(alice.upgraded, WAIT_MS, "alice: upgrade"), "websocket");
    assert.equal(alice.io.engine.transport.name, "websocket");
    assert.equal(bob.initialTransport, "websocket");
    assert.equal(bob.io.engine.transport.name, "websocket");
  });

  it("joins user rooms and chat rooms with exact acks", async () => {
    assert.deepStrictEqual(await ack(alice, "join-user-room", "alice"), {
      ok: true,
      data: { room: "user:alice" },
    });
    assert.deepStrictEqual(await ack(bob, "join-user-room", "bob"), {
      ok: true,
      data: { room: "user:bob" },
    });
    assert.deepStrictEqual(await ack(alice, "join-chat-room", "p1"), {
      ok: true,
      data: { room: "group:p1" },
    });
    assert.deepStrictEqual(await ack(bob, "join-chat-room", "p1"), {
      ok: true,
      data: { room: "group:p1" },
    });
  });

  it("broadcasts online-users with both users to everyone on /chat", async () => {
    const hasBoth = (users) => Array.isArray(users) && users.includes("alice") && users.includes("bob");
    for (const socket of [alice, bob]) {
      await eventually(
        () => socket.onlineUsers.some(hasBoth),
        `${socket.name}: an "online-users" with alice and bob (got ${JSON.stringify(socket.onlineUsers)})`,
      );
      const users = socket.onlineUsers.findLast(hasBoth);
      assert.deepStrictEqual(users, [...users].sort(), "online-users is sorted");
    }
  });

  it("acks send-message with the saved message and broadcasts it as new-message", async () => {
    const before = Date.now();
    const [reply, toBob, toAlice] = await Promise.all([
      ack(alice, "send-message", { projectId: "p1", senderId: "alice", content: "hello" }),
      waitFor(bob, "new-message"),
      waitFor(alice, "new-message"), // the sender is in the room too
    ]);
    assert.equal(reply.ok, true, `ack: ${JSON.stringify(reply)}`);
    const { id, sentAt } = reply.data;
    assert.equal(typeof id, "number");
    assert.ok(Number.isInteger(id) && id >= 1, `id ${id}`);
    assert.equal(typeof sentAt, "number");
    assert.ok(Math.abs(sentAt - before) < 60_000, `sentAt ${sentAt} is milliseconds near ${before}`);
    assert.deepStrictEqual(reply, {
      ok: true,
      data: { id, projectId: "p1", senderId: "alice", content: "hello", sentAt },
    });
    assert.deepStrictEqual(toBob, reply.data);
    assert.deepStrictEqual(toAlice, reply.data);

    // A second message gets a larger id, and get-messages lists both, oldest first.
    const second = await ack(bob, "send-message", { projectId: "p1", senderId: "bob", content: "hi alice" });
    assert.equal(second.ok, true, `ack: ${JSON.stringify(second)}`);
    assert.ok(second.data.id > id, `ids increase: ${id} then ${second.data.id}`);
    const history = await ack(alice, "get-messages", "p1");
    assert.equal(history.ok, true, `ack: ${JSON.stringify(history)}`);
    assert.ok(Array.isArray(history.data));
    assert.deepStrictEqual(history.data.slice(-2), [reply.data, second.data]);
  });

  it("sends typing and stop-typing to the others in the room only", async () => {
    const [typing] = await Promise.all([
      waitFor(bob, "user-typing"),
      expectNone(alice, "user-typing"),
      alice.emit("typing", { projectId: "p1", userId: "alice", userName: "Alice" }),
    ]);
    assert.deepStrictEqual(typing, { userId: "alice", userName: "Alice" });

    const [stopped] = await Promise.all([
      waitFor(bob, "user-stopped-typing"),
      expectNone(alice, "user-stopped-typing"),
      alice.emit("stop-typing", { projectId: "p1", userId: "alice" }),
    ]);
    assert.deepStrictEqual(stopped, { userId: "alice" });
  });

  it("POST /notify/bob delivers a notification to bob only", async () => {
    const [response, notification] = await Promise.all([
      fetch(`${BASE}/notify/bob`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ title: "hi" }),
        signal: AbortSignal.timeout(WAIT_MS),
      }),
      waitFor(bob, "notification"),
      expectNone(alice, "notification"),
    ]);
    assert.equal(response.status, 202);
    assert.deepStrictEqual(await response.json(), { delivered: 1 });
    assert.deepStrictEqual(notification, { title: "hi" });
  });

  it("rejects empty content with validation_failed and a per-field error", async () => {
    const reply = await ack(alice, "send-message", { projectId: "p1", senderId: "alice", content: "" });
    assert.equal(reply.ok, false, `ack: ${JSON.stringify(reply)}`);
    assert.equal(reply.data, undefined);
    assert.equal(reply.error.code, "validation_failed");
    assert.equal(typeof reply.error.message, "string");
    assert.ok(Array.isArray(reply.error.details?.content), `details: ${JSON.stringify(reply.error.details)}`);
    assert.equal(reply.error.details.content[0].code, "length");
    assert.equal(typeof reply.error.details.content[0].message, "string");
    // Only `code` and `message` per error: no echo of the submitted value or its params.
    assert.deepStrictEqual(Object.keys(reply.error.details.content[0]).sort(), ["code", "message"]);
  });

  it("rejects too-long content without echoing it back", async () => {
    const marker = "SECRET-MARKER-7f3a";
    const content = marker.repeat(Math.ceil(3000 / marker.length)).slice(0, 3000);
    assert.equal(content.length, 3000);
    const [reply] = await Promise.all([
      ack(alice, "send-message", { projectId: "p1", senderId: "alice", content }),
      expectNone(bob, "new-message"),
    ]);
    assert.equal(reply.ok, false, `ack ok=${reply.ok}`);
    assert.equal(reply.error.code, "validation_failed");
    assert.equal(reply.error.details?.content?.[0]?.code, "length");
    const json = JSON.stringify(reply);
    assert.ok(!json.includes(marker), `the error echoes the submitted content: ${json.slice(0, 300)}…`);
  });

  it("rejects an invalid room id with validation_failed", async () => {
    const reply = await ack(alice, "join-chat-room", "not a valid id!");
    assert.equal(reply.ok, false, `ack: ${JSON.stringify(reply)}`);
    assert.equal(reply.error.code, "validation_failed");
  });

  it("rejects send-message to a room not joined with not_in_room", async () => {
    const reply = await ack(alice, "send-message", { projectId: "p2", senderId: "alice", content: "hello?" });
    assert.equal(reply.ok, false, `ack: ${JSON.stringify(reply)}`);
    assert.equal(reply.error.code, "not_in_room");
    assert.equal(typeof reply.error.message, "string");
  });

  it("acks an unknown event with not_found", async () => {
    const reply = await ack(alice, "no-such-event", { anything: 1 });
    assert.equal(reply.ok, false, `ack: ${JSON.stringify(reply)}`);
    assert.equal(reply.error.code, "not_found");
  });

  it("leave-chat-room leaves the room", async () => {
    assert.deepStrictEqual(await ack(bob, "leave-chat-room", "p1"), {
      ok: true,
      data: { room: "group:p1" },
    });
    const reply = await ack(bob, "send-message", { projectId: "p1", senderId: "bob", content: "still here?" });
    assert.equal(reply.ok, false, `ack: ${JSON.stringify(reply)}`);
    assert.equal(reply.error.code, "not_in_room");
    const [sent] = await Promise.all([
      ack(alice, "send-message", { projectId: "p1", senderId: "alice", content: "bob left" }),
      expectNone(bob, "new-message"),
    ]);
    assert.equal(sent.ok, true, `ack: ${JSON.stringify(sent)}`);
  });
});
