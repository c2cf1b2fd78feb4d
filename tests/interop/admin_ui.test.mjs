// Interop test: the Socket.IO Admin UI's protocol (@socket.io/admin-ui 0.5), driven with
// the official socket.io-client as the dashboard drives it, against an app with
// `GatewayApp::admin_ui` (tests/tests/interop_admin_ui.rs starts it and sets GATEWAY_URL,
// ADMIN_PASSWORD, READONLY_URL). The checks follow the package's own server tests
// (test/index.ts of socketio/socket.io-admin-ui): login refused and accepted, the session
// reused, config, server_stats, the socket list, socket and event notices, every action,
// and a read-only server that applies none.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { io } from "socket.io-client";

const BASE = process.env.GATEWAY_URL;
const READONLY = process.env.READONLY_URL;
const PASSWORD = process.env.ADMIN_PASSWORD;
const WAIT_MS = 5000;

/** Resolves with the arguments of the next `event` on `socket`; rejects after WAIT_MS. */
function next(socket, event, what = event) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: nothing within ${WAIT_MS} ms`)), WAIT_MS);
    timer.unref();
    socket.once(event, (...args) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

/** Resolves with the first `event` whose arguments satisfy `pred`. */
function nextMatching(socket, event, pred, what = event) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, on);
      reject(new Error(`${what}: nothing matching within ${WAIT_MS} ms`));
    }, WAIT_MS);
    function on(...args) {
      if (pred(...args)) {
        clearTimeout(timer);
        socket.off(event, on);
        resolve(args);
      }
    }
    socket.on(event, on);
  });
}

/** Connects to `url`; resolves with the socket once connected, rejects on connect_error. */
function connect(url, opts = {}) {
  const socket = io(url, { forceNew: true, reconnection: false, transports: ["websocket"], ...opts });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** An admin socket as the dashboard opens it, listening for `session` and `config` from the start. */
function admin(url, auth) {
  const socket = io(`${url}/admin`, { forceNew: true, reconnection: false, transports: ["websocket"], auth });
  const session = next(socket, "session");
  const config = next(socket, "config");
  const sockets = next(socket, "all_sockets");
  // Awaited only by the tests that need them (a refused login gets none of them).
  for (const waiting of [session, config, sockets]) waiting.catch(() => {});
  const connected = new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => {
      socket.close();
      reject(err);
    });
  });
  return { socket, connected, session, config, sockets };
}

describe("the Admin UI's namespace", { timeout: 60_000 }, () => {
  it("refuses bad credentials with connect_error `invalid credentials`", async () => {
    for (const auth of [{ username: "admin", password: "wrong" }, { username: "nobody", password: PASSWORD }, {}, { sessionId: "0123456789abcdef" }]) {
      await assert.rejects(admin(BASE, auth).connected, (err) => err.message === "invalid credentials", JSON.stringify(auth));
    }
  });

  it("logs in, hands out a session, and accepts it on the next login", async () => {
    const first = admin(BASE, { username: "admin", password: PASSWORD });
    await first.connected;
    const [session] = await first.session;
    assert.match(session, /^[0-9a-f]{16}$/);
    const [config] = await first.config;
    assert.deepEqual(config.supportedFeatures, ["EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT", "AGGREGATED_EVENTS", "ALL_EVENTS"]);
    first.socket.close();
    const again = admin(BASE, { sessionId: session });
    await again.connected;
    await again.config;
    again.socket.close();
  });

  it("sends server_stats every 2 seconds with the Node package's fields", async () => {
    const a = admin(BASE, { username: "admin", password: PASSWORD });
    await a.connected;
    const chat = await connect(`${BASE}/chat`);
    const [stats] = await next(a.socket, "server_stats");
    for (const [key, type] of [["serverId", "string"], ["hostname", "string"], ["pid", "number"], ["uptime", "number"], ["clientsCount", "number"], ["pollingClientsCount", "number"]]) {
      assert.equal(typeof stats[key], type, `${key}: ${JSON.stringify(stats)}`);
    }
    assert.ok(Array.isArray(stats.aggregatedEvents));
    assert.ok(stats.clientsCount >= 2, JSON.stringify(stats));
    const names = stats.namespaces.map((n) => n.name);
    assert.ok(names.includes("/admin") && names.includes("/chat"), JSON.stringify(stats.namespaces));
    assert.ok(stats.namespaces.find((n) => n.name === "/chat").socketsCount >= 1);
    const started = Date.now();
    chat.emit("say", "some traffic");
    chat.emit("shout", "some traffic out");
    const [later] = await next(a.socket, "server_stats");
    const period = Date.now() - started;
    assert.ok(period > 1500 && period < 2600, `period ${period} ms`);
    // The aggregated counts since the previous stats: bytes both ways, the event received,
    // the events sent.
    const counted = (type) => later.aggregatedEvents.filter((e) => e.type === type).reduce((n, e) => n + e.count, 0);
    for (const type of ["bytesIn", "bytesOut", "packetsIn", "packetsOut"]) {
      assert.ok(counted(type) > 0, `${type} in ${JSON.stringify(later.aggregatedEvents)}`);
    }
    for (const event of later.aggregatedEvents) {
      assert.equal(typeof event.timestamp, "number");
      assert.equal(typeof event.count, "number");
    }
    chat.close();
    a.socket.close();
  });

  it("lists sockets, tells of connections, events and disconnections, and applies every action", async () => {
    const a = admin(BASE, { username: "admin", password: PASSWORD });
    await a.connected;
    const [list] = await a.sockets;
    assert.ok(list.some((s) => s.nsp === "/admin"), "the admin socket itself is listed");

    const connected = nextMatching(a.socket, "socket_connected", (s) => s.nsp === "/chat");
    const chat = await connect(`${BASE}/chat`);
    const [described, when] = await connected;
    assert.equal(described.id, chat.id);
    assert.equal(described.transport, "websocket");
    assert.equal(typeof described.clientId, "string");
    assert.ok(described.handshake && Array.isArray(described.rooms));
    assert.match(described.handshake.address, /127\.0\.0\.1$/, "the client's address");
    assert.ok(!Number.isNaN(Date.parse(when)), when);

    const received = nextMatching(a.socket, "event_received", (nsp, id) => nsp === "/chat" && id === chat.id);
    chat.emit("say", "hello");
    const [, , args] = await received;
    assert.deepEqual(args, ["say", "hello"]);

    // events out: one to the socket, one broadcast to the namespace, each told as
    // event_sent for the socket it reached, never for the admin namespace's own
    const sentTo = (event) =>
      nextMatching(a.socket, "event_sent", (nsp, id, args) => nsp === "/chat" && id === chat.id && args[0] === event, `event_sent ${event}`);
    const adminOwn = [];
    a.socket.on("event_sent", (nsp) => nsp === "/admin" && adminOwn.push(nsp));
    const [echoed, shouted] = [sentTo("echo"), sentTo("shouted")];
    chat.emit("shout", "hey");
    const [, , echoArgs, echoWhen] = await echoed;
    assert.deepEqual(echoArgs, ["echo", "hey"]);
    assert.ok(!Number.isNaN(Date.parse(echoWhen)), echoWhen);
    assert.deepEqual((await shouted)[2], ["shouted", "hey"]);

    // emit to one socket (its id is a room, as in socket.io)
    const notice = next(chat, "notice");
    a.socket.emit("emit", "/chat", chat.id, "notice", "from the dashboard", 42);
    assert.deepEqual(await notice, ["from the dashboard", 42]);

    // join and leave: applied, and told back as room_joined / room_left
    const joined = nextMatching(a.socket, "room_joined", (nsp, room, id) => nsp === "/chat" && room === "vip" && id === chat.id);
    a.socket.emit("join", "/chat", "vip", chat.id);
    await joined;
    assert.deepEqual(await chat.timeout(WAIT_MS).emitWithAck("my-rooms"), { ok: true, data: [chat.id, "vip"].sort() });
    const left = nextMatching(a.socket, "room_left", (nsp, room, id) => nsp === "/chat" && room === "vip" && id === chat.id);
    a.socket.emit("leave", "/chat", "vip", chat.id);
    await left;
    assert.deepEqual(await chat.timeout(WAIT_MS).emitWithAck("my-rooms"), { ok: true, data: [chat.id] });

    // bad actions are ignored, and the server goes on
    a.socket.emit("emit", 42, null, "notice");
    a.socket.emit("join", "/nope", "vip");
    a.socket.emit("_disconnect", "/chat", false, { not: "a filter" });
    a.socket.emit("leave");
    a.socket.emit("emit", "/chat", "x".repeat(100_000), "notice", "to nobody");

    // disconnect one socket (socket.io-client forgets its id once disconnected)
    const chatId = chat.id;
    const gone = nextMatching(a.socket, "socket_disconnected", (nsp, id) => nsp === "/chat" && id === chatId);
    const reason = next(chat, "disconnect");
    a.socket.emit("_disconnect", "/chat", false, chatId);
    assert.equal((await reason)[0], "io server disconnect");
    const [, , why] = await gone;
    assert.equal(typeof why, "string");
    assert.equal(a.socket.connected, true, "the admin socket stays");
    assert.deepEqual(adminOwn, [], "the admin namespace's own events are not reported");
    a.socket.close();
  });

  it("in read-only mode advertises no action and applies none", async () => {
    const a = admin(READONLY, { username: "admin", password: PASSWORD });
    await a.connected;
    const [config] = await a.config;
    assert.deepEqual(config.supportedFeatures, ["AGGREGATED_EVENTS", "ALL_EVENTS"]);
    const chat = await connect(`${READONLY}/chat`);
    let got = null;
    chat.on("notice", (...args) => (got = args));
    a.socket.emit("emit", "/chat", null, "notice", "must not arrive");
    a.socket.emit("_disconnect", "/chat", false);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(got, null);
    assert.equal(chat.connected, true);
    chat.close();
    a.socket.close();
  });
});
