// The official socket.io-client through nginx in front of two cluster nodes: many clients,
// each starting on HTTP long-polling and upgrading to WebSocket, each from its own source
// address (127.0.N.1, a distinct /24, so nginx's ip_hash spreads them over both nodes).
// Prints one JSON summary line; examples/cluster/tests/cluster.rs asserts on it.
//
// Env: NGINX_URL (http://127.0.0.1:PORT), CLIENTS (default 40).
import http from "node:http";
import { io } from "socket.io-client";

const url = process.env.NGINX_URL;
const count = Number(process.env.CLIENTS ?? 40);
if (!url) throw new Error("NGINX_URL is not set");

const deadline = (ms, what) =>
  new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms));
const within = (ms, what, promise) => Promise.race([promise, deadline(ms, what)]);

const clients = [];
for (let i = 0; i < count; i++) {
  const localAddress = `127.0.${i + 1}.1`;
  // Polling requests go through the agent, the WebSocket through `localAddress`.
  const agent = new http.Agent({ keepAlive: true, localAddress });
  const socket = io(`${url}/cluster`, {
    transports: ["polling", "websocket"],
    agent,
    localAddress,
    forceNew: true,
    reconnection: false,
    timeout: 10000,
  });
  const client = { socket, agent, localAddress, firstTransport: null };
  // The Engine.IO handshake's transport, before any upgrade.
  socket.io.once("open", () => { client.firstTransport = socket.io.engine.transport.name; });
  clients.push(client);
}

const ack = async (client, event, ...args) => {
  const reply = await client.socket.timeout(10000).emitWithAck(event, ...args);
  if (!reply || reply.ok !== true) {
    throw new Error(`${client.localAddress} ${event}: ${JSON.stringify(reply)}`);
  }
  return reply.data;
};

try {
  await within(20000, "every client connects", Promise.all(clients.map((c) =>
    new Promise((resolve, reject) => {
      c.socket.once("connect", resolve);
      c.socket.once("connect_error", (err) => reject(new Error(`${c.localAddress}: ${err.message}`)));
    }))));
  await within(20000, "every client upgrades to websocket", Promise.all(clients.map((c) =>
    c.socket.io.engine.transport.name === "websocket"
      ? null
      : new Promise((resolve) => c.socket.io.engine.once("upgrade", resolve)))));

  // Stickiness under traffic: every client is served by one node, round trip after round trip.
  const nodes = {};
  let sticky = 0;
  for (const c of clients) {
    const seen = new Set();
    for (let k = 0; k < 3; k++) seen.add(await ack(c, "whoami"));
    if (seen.size === 1) sticky++;
    const node = [...seen][0];
    nodes[node] = (nodes[node] ?? 0) + 1;
  }

  await Promise.all(clients.map((c) => ack(c, "join", "everyone")));
  const roomSize = await ack(clients[0], "room-size", "everyone");

  const delivered = clients.map((c) => within(10000, `${c.localAddress} receives the broadcast`,
    new Promise((resolve) => c.socket.on("message", (m) => m.text === "hello, everyone" && resolve(m.node)))));
  await ack(clients[count - 1], "broadcast", { room: "everyone", text: "hello, everyone" });
  const senders = await Promise.all(delivered);

  console.log(JSON.stringify({
    clients: count,
    startedOnPolling: clients.filter((c) => c.firstTransport === "polling").length,
    upgraded: clients.filter((c) => c.socket.io.engine.transport.name === "websocket").length,
    sticky,
    nodes,
    roomSize,
    delivered: senders.length,
  }));
} finally {
  for (const c of clients) {
    c.socket.disconnect();
    c.agent.destroy();
  }
}
