// Type-checks the generated `events.ts` of the contracts fixture (tests/tests/contracts.rs)
// against the real socket.io-client types: `tsc -p tests/interop/ts` must pass. Nothing here
// runs; the functions only have to compile.
//
// Each `// @ts-expect-error` line must fail to compile (tsc reports an unused directive
// otherwise), so this file proves both that correct code is accepted and that mistakes are
// caught.

import { io, type Socket } from "socket.io-client";
import type {
  Ack,
  AckOf,
  Binary,
  ChatClientToServerEvents,
  ChatServerToClientEvents,
  Client,
  FilesClientToServerEvents,
  FilesServerToClientEvents,
  LegacyClientToServerEvents,
  LegacyServerToClientEvents,
  Message,
  Namespaces,
  NestJsAck,
  ReceivedBinary,
  SendMessage,
  Tenant,
  TenantTenantClientToServerEvents,
  TenantTenantPath,
  TenantTenantServerToClientEvents,
  WsErrorCode,
} from "../../tests/snapshots/contracts.events";

/** `true` when `A` and `B` are the same type (not merely assignable to each other). */
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only with `true`. */
function assertType<_T extends true>(): void {}

type ChatSocket = Socket<ChatServerToClientEvents, ChatClientToServerEvents>;
type FilesSocket = Socket<FilesServerToClientEvents, FilesClientToServerEvents>;
type LegacySocket = Socket<LegacyServerToClientEvents, LegacyClientToServerEvents>;

/** Typing a socket: annotation, cast, or through the `Namespaces` map. */
export function connect(url: string): [ChatSocket, FilesSocket, LegacySocket] {
  const chat: ChatSocket = io(url + "/chat");
  const files = io(url + "/files") as FilesSocket;
  const legacy: Socket<
    Namespaces["/legacy"]["serverToClient"],
    Namespaces["/legacy"]["clientToServer"]
  > = io(url + "/legacy");
  return [chat, files, legacy];
}

const message: SendMessage = {
  roomId: "general",
  text: "hello",
  client: { mobile: { version: "1.2.0" } },
};

export async function chatEvents(chat: ChatSocket): Promise<void> {
  // An ack with data: `emitWithAck` resolves to the typed envelope, narrowed by `ok`.
  const sent = await chat.emitWithAck("send-message", message);
  assertType<Equal<typeof sent, Ack<Message, WsErrorCode | "not_member" | "room_full">>>();
  if (sent.ok) {
    const id: number = sent.data.id;
    const author: string = sent.data.author.display_name ?? sent.data.author.id;
    const tags: string[] = sent.data.tags;
    console.log(id, author, tags);
  } else {
    // The event's own codes come on top of the framework's.
    switch (sent.error.code) {
      case "not_member":
      case "room_full":
      case "validation_failed":
        console.log(sent.error.message, sent.error.details);
        break;
      default:
        console.log(sent.error.code);
    }
  }

  // The same with a callback; optional fields and enum variants.
  chat.emit("send-message", { roomId: "r", text: "hi", replyTo: null, client: "web" }, (res) => {
    if (res.ok) console.log(res.data.text.toUpperCase());
  });
  const clients: Client[] = ["web", { mobile: { version: "2" } }];
  console.log(clients);

  // An ack without data: the callback is optional.
  chat.emit("typing", "general");
  chat.emit("typing", "general", (res) => {
    if (res.ok) assertType<Equal<typeof res.data, null>>();
  });

  const rated = await chat.emitWithAck("rate", { stars: 5 });
  if (rated.ok) console.log(rated.data + 1);

  // With a timeout, socket.io-client types the ack as `any`: `AckOf` names it.
  const timed: AckOf<ChatClientToServerEvents, "send-message"> = await chat
    .timeout(5000)
    .emitWithAck("send-message", message);
  assertType<Equal<typeof timed, typeof sent>>();
  assertType<Equal<AckOf<ChatClientToServerEvents, "typing">, Ack<null>>>();

  // Server events.
  chat.on("new-message", (msg) => console.log(msg.id, msg.text, msg.author.id, msg.tags.length));
  chat.on("typing", (typing) => console.log(typing.user));
  chat.on("exception", (exception) => {
    assertType<Equal<typeof exception.error.code, WsErrorCode | "not_member" | "room_full">>();
    console.log(exception.event);
  });

  // The types bite:
  // @ts-expect-error `text` is a string.
  chat.emit("send-message", { ...message, text: 42 }, () => {});
  // @ts-expect-error `text` is required.
  await chat.emitWithAck("send-message", { roomId: "general", client: "web" });
  // @ts-expect-error not a `Client` variant.
  await chat.emitWithAck("send-message", { ...message, client: "desktop" });
  // @ts-expect-error an event with ack data requires the callback (or `emitWithAck`).
  chat.emit("send-message", message);
  // @ts-expect-error `typing` takes a room name.
  chat.emit("typing", 42);
  // @ts-expect-error no such event.
  chat.emit("no-such-event", "general");
  // @ts-expect-error `data` exists only once `ok` is checked.
  console.log(sent.data);
  // @ts-expect-error `id` is a number.
  if (sent.ok) { const id: string = sent.data.id; console.log(id); }
  // @ts-expect-error not one of the event's codes.
  if (!sent.ok && sent.error.code === "room_ful") console.log("never");
  // @ts-expect-error `stars` is a number.
  await chat.emitWithAck("rate", { stars: "5" });
  // @ts-expect-error `new-message` carries a `Message`, whose `text` is a string.
  chat.on("new-message", (msg) => { const n: number = msg.text; console.log(n); });
  // @ts-expect-error `typing` carries `{ user }`.
  chat.on("typing", (typing) => console.log(typing.room));
  // @ts-expect-error the client does not emit server events.
  chat.emit("new-message", message);
}

export async function filesEvents(files: FilesSocket, buffer: Buffer): Promise<void> {
  // Binary: Node `Buffer`, typed arrays, `ArrayBuffer`, `DataView`.
  const sizes = await Promise.all([
    files.emitWithAck("upload", "a.bin", buffer),
    files.emitWithAck("upload", "b.bin", new Uint8Array([1, 2, 3])),
    files.emitWithAck("upload", "c.bin", new ArrayBuffer(8)),
    files.emitWithAck("upload", "d.bin", new DataView(new ArrayBuffer(8))),
  ]);
  for (const size of sizes) if (size.ok) console.log(size.data.toFixed(0));
  const attachment: Binary = buffer;
  files.emit("upload", "e.bin", attachment, (res) => console.log(res.ok));

  // Binary acks arrive as an `ArrayBuffer` (browser) or a `Buffer` (Node).
  const file = await files.emitWithAck("download", "a.bin");
  if (file.ok) {
    const data: ReceivedBinary = file.data;
    console.log(new Uint8Array(data).byteLength);
  }

  // Several arguments.
  const sum = await files.emitWithAck("add", 1, 2);
  if (sum.ok) console.log(sum.data * 2);

  // Rest arguments: any arguments, then the ack (annotated: TypeScript does not infer a
  // callback's type after a rest element).
  files.emit("echo", 1, "two", buffer, (res: Ack<unknown[]>) => {
    if (res.ok) console.log(res.data.length);
  });
  const echoed = await files.emitWithAck("echo", 1, "two");
  assertType<Equal<typeof echoed, Ack<unknown[]>>>();
  assertType<Equal<AckOf<FilesClientToServerEvents, "echo">, Ack<unknown[]>>>();
  assertType<Equal<AckOf<FilesClientToServerEvents, "download">, Ack<ReceivedBinary>>>();

  // @ts-expect-error a string is not binary.
  await files.emitWithAck("upload", "a.bin", "not binary");
  // @ts-expect-error `add` takes two numbers.
  await files.emitWithAck("add", 1, "2");
  // @ts-expect-error the ack data is a number.
  if (sum.ok) console.log(sum.data.length);
  // @ts-expect-error binary ack data is not a string.
  if (file.ok) console.log(file.data.toUpperCase());
  // @ts-expect-error `echo` acks a list.
  files.emit("echo", 1, (res: Ack<string>) => console.log(res));
  // @ts-expect-error no server events besides `exception` on `/files`.
  files.on("new-message", () => {});
}

export async function legacyEvents(legacy: LegacySocket): Promise<void> {
  // NestJS mode: the bare value, or `{ status: "error", message }`.
  const pong = await legacy.emitWithAck("ping");
  assertType<Equal<typeof pong, NestJsAck<string>>>();
  assertType<Equal<AckOf<LegacyClientToServerEvents, "ping">, NestJsAck<string>>>();
  const text: string = typeof pong === "string" ? pong : pong.message;
  console.log(text);
  legacy.on("exception", (error) => console.log(error.status, error.message));

  // @ts-expect-error NestJS acks have no `ok`.
  if (typeof pong !== "string" && pong.ok) console.log(pong);
  // @ts-expect-error `ping` takes no arguments.
  await legacy.emitWithAck("ping", "extra");
}

// A dynamic namespace: its paths are a template literal type.
export async function tenants(url: string): Promise<string> {
  const path: TenantTenantPath = "/tenant/acme";
  const socket: Socket<TenantTenantServerToClientEvents, TenantTenantClientToServerEvents> = io(url + path);
  const ack: Ack<Tenant> = await socket.emitWithAck("whoami");
  const samePath: Namespaces["/tenant/{tenant}"]["path"] = path;
  // @ts-expect-error: another namespace's path
  const wrong: TenantTenantPath = "/team/acme";
  // @ts-expect-error: the static namespaces' paths are their literal
  const other: Namespaces["/chat"]["path"] = "/chat2";
  return ack.ok ? ack.data.tenant + samePath + wrong + other : ack.error.code;
}
