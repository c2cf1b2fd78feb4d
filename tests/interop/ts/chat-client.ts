// A TypeScript client of the chat example, written against its committed contracts
// (`examples/chat/contracts/events.ts`) and the real socket.io-client: `tsc` checks it, then
// `node` runs the emitted JavaScript against a running chat server.
//
//   CHAT_URL=http://127.0.0.1:3000 node out/.../chat-client.js
//
// `cargo test -p gateway-tests --test interop_typescript` compiles it, starts the chat
// example and runs it. It exits 0 when every step passed, 1 with the failing step otherwise.

import { io, type Socket } from "socket.io-client";
import type {
  AckOf,
  ChatClientToServerEvents,
  ChatServerToClientEvents,
  Message,
  SendMessage,
  UserTyping,
} from "../../../examples/chat/contracts/events.js";

type ChatSocket = Socket<ChatServerToClientEvents, ChatClientToServerEvents>;
type Events = ChatClientToServerEvents;

/** How long to wait for a connection, an ack or an event. */
const WAIT_MS = 3000;

const base = (process.env["CHAT_URL"] ?? "").replace(/\/+$/, "");
if (!base) {
  throw new Error("set CHAT_URL to the chat server's base URL, e.g. http://127.0.0.1:3000");
}

/** Connects to `/chat`; resolves once connected. */
function connect(name: string): Promise<ChatSocket> {
  const socket: ChatSocket = io(`${base}/chat`, {
    forceNew: true,
    reconnection: false,
    timeout: WAIT_MS,
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => reject(new Error(`${name}: connect_error: ${err.message}`)));
  });
}

/** `promise`, or a rejection naming `what` after `WAIT_MS`. */
function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${WAIT_MS} ms`)), WAIT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`check failed: ${what}`);
}

async function main(): Promise<void> {
  const [alice, bob] = await Promise.all([connect("alice"), connect("bob")]);
  try {
    const project = `ts-${process.pid}`;

    // Join rooms; `timeout()` makes socket.io-client type the ack as `any`, `AckOf` names it.
    const userRoom: AckOf<Events, "join-user-room"> = await alice
      .timeout(WAIT_MS)
      .emitWithAck("join-user-room", "alice");
    check(userRoom.ok && userRoom.data.room === "user:alice", "alice joins user:alice");
    for (const socket of [alice, bob]) {
      const joined: AckOf<Events, "join-chat-room"> = await socket
        .timeout(WAIT_MS)
        .emitWithAck("join-chat-room", project);
      check(joined.ok && joined.data.room === `group:${project}`, "joins the project room");
    }

    // `typing` returns nothing: no ack needed; bob hears it.
    const typing = new Promise<UserTyping>((resolve) =>
      bob.on("user-typing", (t) => t.userId === "alice" && resolve(t)),
    );
    alice.emit("typing", { projectId: project, userId: "alice", userName: "Alice" });
    const heard = await within(typing, "user-typing");
    check(heard.userName === "Alice", "bob sees alice typing");

    // `send-message`: a typed ack whose data is the saved message, and the broadcast.
    const content = "hello from TypeScript";
    const broadcast = new Promise<Message>((resolve) =>
      bob.on("new-message", (m) => m.content === content && resolve(m)),
    );
    const msg: SendMessage = { projectId: project, senderId: "alice", content };
    const sent = await alice.emitWithAck("send-message", msg);
    if (!sent.ok) throw new Error(`send-message failed: ${sent.error.code}: ${sent.error.message}`);
    const saved: Message = sent.data;
    check(saved.id >= 1 && saved.projectId === project && saved.senderId === "alice", "the ack is the saved message");
    check(saved.sentAt > 1_600_000_000_000, "sentAt is a Unix time in ms");
    const received = await within(broadcast, "new-message");
    check(received.id === saved.id && received.sentAt === saved.sentAt, "bob gets the same message");

    // Failures come back in the same ack type, with the event's own codes.
    const outside = await alice.emitWithAck("send-message", { ...msg, projectId: `${project}-other` });
    check(!outside.ok && outside.error.code === "not_in_room", "not_in_room outside the room");
    const empty = await alice.emitWithAck("send-message", { ...msg, content: "" });
    check(!empty.ok && empty.error.code === "validation_failed", "validation_failed on empty content");

    const history = await bob.emitWithAck("get-messages", project);
    check(history.ok && history.data.some((m) => m.id === saved.id), "get-messages lists the message");

    console.log(`ok: message ${saved.id} sent, acked and broadcast`);
  } finally {
    alice.disconnect();
    bob.disconnect();
  }
}

/** Never called: it only has to fail to compile where marked. */
export function misuse(socket: ChatSocket): void {
  // @ts-expect-error `content` is a string.
  socket.emit("send-message", { projectId: "p1", senderId: "alice", content: 42 }, () => {});
}

const deadline = setTimeout(() => {
  console.error(`chat client: not done after ${4 * WAIT_MS} ms`);
  process.exit(1);
}, 4 * WAIT_MS);

main().then(
  () => {
    clearTimeout(deadline);
    process.exit(0);
  },
  (err: unknown) => {
    console.error(`chat client: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
