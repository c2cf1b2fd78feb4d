// Node socket.io 4.8 serving the benchmark's `/bench` namespace as the Rust servers do
// (a token checked at connect; `echo` acks its payload, `join` joins the room and acks
// true, `broadcast` emits `msg` to `payload.room` and acks true), for bench/memory.sh's
// and bench/crowd.sh's third column. It lives here because socket.io is installed here
// (tests/interop/package.json, `npm ci`). PORT, AUTH_TOKEN, GATEWAY_PING_INTERVAL (in
// milliseconds or with `ms`/`s`, as the Rust servers read it; socket.io's 25 s default).

import { createServer } from "node:http";
import { Server } from "socket.io";

/** `100ms`, `2s` or a number of milliseconds. */
function millis(text) {
  const match = /^(\d+)\s*(ms|s)?$/.exec(text.trim());
  if (!match) throw new Error(`GATEWAY_PING_INTERVAL: not a duration: ${text}`);
  return Number(match[1]) * (match[2] === "s" ? 1000 : 1);
}

const pingInterval = process.env.GATEWAY_PING_INTERVAL ? millis(process.env.GATEWAY_PING_INTERVAL) : 25000;
const http = createServer();
const io = new Server(http, { pingInterval });
io.of("/bench").use((socket, next) => {
  const token = process.env.AUTH_TOKEN;
  if (!token || socket.handshake.auth?.token === token) next();
  else next(new Error("invalid token"));
});
io.of("/bench").on("connection", (socket) => {
  socket.on("echo", (payload, ack) => ack?.(payload));
  socket.on("join", (room, ack) => {
    socket.join(room);
    ack?.(true);
  });
  socket.on("broadcast", (msg, ack) => {
    io.of("/bench").to(msg.room).emit("msg", msg);
    ack?.(true);
  });
});
http.listen(Number(process.env.PORT), "127.0.0.1");
