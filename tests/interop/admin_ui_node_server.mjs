// The reference for tests/interop/admin_ui.test.mjs: socket.io 4.8 instrumented with
// @socket.io/admin-ui 0.5.1, serving the same `/chat` namespace as the Rust test's app
// (`say`; `shout`, which emits `echo` to the sender and broadcasts `shouted`; `my-rooms` acking the socket's rooms sorted, in the envelope shape). Run
// with PORT and ADMIN_PASSWORD; READONLY=1 instruments it read-only. The same client
// checks then run against both servers:
//   ADMIN_PASSWORD=changeit PORT=4001 node admin_ui_node_server.mjs &
//   ADMIN_PASSWORD=changeit PORT=4002 READONLY=1 node admin_ui_node_server.mjs &
//   GATEWAY_URL=http://127.0.0.1:4001 READONLY_URL=http://127.0.0.1:4002 \
//     ADMIN_PASSWORD=changeit node --test admin_ui.test.mjs

import { createServer } from "node:http";
import { instrument } from "@socket.io/admin-ui";
import bcrypt from "bcryptjs";
import { Server } from "socket.io";

const port = Number(process.env.PORT ?? 4001);
const http = createServer();
const io = new Server(http);
io.of("/chat").on("connection", (socket) => {
  socket.on("say", () => {});
  socket.on("shout", (text) => {
    socket.emit("echo", text);
    io.of("/chat").emit("shouted", text);
  });
  socket.on("my-rooms", (ack) => ack({ ok: true, data: [...socket.rooms].sort() }));
});
instrument(io, {
  auth: { type: "basic", username: "admin", password: bcrypt.hashSync(process.env.ADMIN_PASSWORD, 4) },
  readonly: process.env.READONLY === "1",
  mode: "development",
});
http.listen(port, "127.0.0.1", () => console.log(`listening on ${port}`));
