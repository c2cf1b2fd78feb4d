// The generated AsyncAPI documents, checked by the official parser (`@asyncapi/parser` 3,
// the one AsyncAPI Studio and the generator use): it validates a document against the
// AsyncAPI 3.0.0 JSON Schema, every payload against the schema format, resolves every
// `$ref`, and runs its Spectral rules (an operation's messages must belong to its channel,
// ...).
//
// A document passes with no diagnostic of severity error or warning. Information and hints
// are printed, not failed: the one expected is `asyncapi-latest-version` (we write 3.0.0, the
// version the design asks for; 3.1.0 exists).
//
// Which documents:
// - by default, the contract fixture's snapshot (`tests/tests/snapshots/contracts.asyncapi.yaml`,
//   written by `cargo test -p gateway-tests --test contracts`), which must exist, and the chat
//   example's export (`examples/chat/contracts/asyncapi.yaml`), checked once it exists and
//   reported as skipped, by name, until then;
// - or exactly the paths given on the command line or in `ASYNCAPI_DOCS` (separated by `:`,
//   `;` on Windows), each of which must exist.
//
// Run: node --test tests/interop/asyncapi.test.mjs
//      ASYNCAPI_DOCS=out/asyncapi.yaml node --test tests/interop/asyncapi.test.mjs
//      node tests/interop/asyncapi.test.mjs out/asyncapi.yaml
// or `cargo test -p gateway-tests --test interop_asyncapi`.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { DiagnosticSeverity, Parser } from "@asyncapi/parser";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const FIXTURE = path.join(ROOT, "tests/tests/snapshots/contracts.asyncapi.yaml");
const CHAT = path.join(ROOT, "examples/chat/contracts/asyncapi.yaml");

/** Severities that fail a document. */
const FAILING = [DiagnosticSeverity.Error, DiagnosticSeverity.Warning];

/** The documents to check: `{ file, required }`. */
function documents() {
  const given = [
    ...process.argv.slice(2),
    ...(process.env.ASYNCAPI_DOCS ?? "").split(path.delimiter),
  ].filter((p) => p.trim() !== "");
  if (given.length > 0) {
    return given.map((p) => ({ file: path.resolve(p), required: true }));
  }
  return [
    { file: FIXTURE, required: true },
    { file: CHAT, required: false },
  ];
}

/** One diagnostic on one line: severity, rule, message, where. */
function describeDiagnostic(d) {
  const where = d.path?.length ? d.path.join(".") : "(document)";
  const line = d.range?.start?.line;
  const at = line === undefined ? where : `${where} (line ${line + 1})`;
  return `${DiagnosticSeverity[d.severity] ?? d.severity} ${d.code}: ${d.message} at ${at}`;
}

/** Parses `file` and fails on any error or warning, listing every diagnostic. */
async function parse(file, t) {
  const text = await readFile(file, "utf8");
  const { document, diagnostics } = await new Parser().parse(text, { source: file });
  const all = diagnostics.map(describeDiagnostic);
  for (const line of all) {
    t.diagnostic(line);
  }
  const failing = diagnostics.filter((d) => FAILING.includes(d.severity));
  assert.equal(
    failing.length,
    0,
    `${path.relative(ROOT, file)}: ${failing.length} error(s)/warning(s); all diagnostics:\n` +
      all.map((l) => `  ${l}`).join("\n"),
  );
  assert.ok(document, `${path.relative(ROOT, file)} did not parse:\n${all.join("\n")}`);
  return document;
}

/** The `const` of a property of a schema model, if it has one. */
function constOf(schema, property) {
  return schema.properties()?.[property]?.const();
}

/** What every generated document must satisfy, whatever its gateways. */
function checkShape(document) {
  assert.equal(document.version(), "3.0.0");
  assert.ok(document.servers().length >= 1, "a server");
  const server = document.servers().all()[0];
  assert.equal(server.protocol(), "ws");

  const channels = document.channels().all();
  assert.ok(channels.length >= 1, "at least one channel (namespace)");
  for (const channel of channels) {
    assert.match(channel.address() ?? "", /^\//, `channel ${channel.id()} is a namespace`);
  }

  const operations = document.operations().all();
  assert.ok(operations.length >= 1, "at least one operation");
  for (const op of operations) {
    const messages = op.messages().all();
    assert.ok(messages.length >= 1, `${op.id()} has a message`);
    for (const message of messages) {
      assert.ok(message.hasPayload(), `${op.id()}: ${message.id()} has a payload`);
      assert.ok(message.name(), `${op.id()}: ${message.id()} has the event name`);
    }
    if (op.action() === "send") {
      assert.equal(op.hasReply(), false, `${op.id()}: server events have no ack`);
      continue;
    }
    assert.equal(op.action(), "receive");
    assert.ok(op.hasReply(), `${op.id()}: the ack is the reply`);
    const reply = op.reply();
    assert.equal(reply.channel()?.id(), op.channels().all()[0]?.id(), `${op.id()}: same channel`);
    const [ack] = reply.messages().all();
    assert.ok(ack?.hasPayload(), `${op.id()}: the ack has a payload`);
    const payload = ack.payload();
    const envelope = payload.oneOf();
    if (envelope) {
      const [success, failure] = envelope;
      assert.equal(envelope.length, 2, `${op.id()}: success or failure`);
      assert.equal(constOf(success, "ok"), true, `${op.id()}: success has ok: true`);
      assert.equal(constOf(failure, "ok"), false, `${op.id()}: failure has ok: false`);
      const codes = failure.properties().error.properties()?.code?.enum() ?? [];
      for (const code of ["bad_payload", "validation_failed", "internal"]) {
        assert.ok(codes.includes(code), `${op.id()}: error codes include ${code}: ${codes}`);
      }
    } else {
      const nest = payload.anyOf();
      assert.ok(nest, `${op.id()}: the ack is an envelope (oneOf) or NestJS-style (anyOf)`);
      assert.equal(constOf(nest[1], "status"), "error", `${op.id()}: NestJS error shape`);
    }
  }
}

/** What the contract fixture (`tests/tests/contracts.rs`) must have produced. */
function checkFixture(document) {
  const channels = document.channels().all();
  assert.deepEqual(
    channels.map((c) => [c.id(), c.address()]),
    [
      ["chat", "/chat"],
      ["files", "/files"],
      ["legacy", "/legacy"],
      ["tenant._tenant_", "/tenant/{tenant}"],
    ],
  );
  // A dynamic namespace: its path's parameters are the channel's.
  const tenant = document.channels().get("tenant._tenant_");
  assert.deepEqual(
    tenant.parameters().all().map((p) => p.id()),
    ["tenant"],
  );
  assert.deepEqual(
    channels.filter((c) => c.id() !== "tenant._tenant_").map((c) => c.parameters().all().length),
    [0, 0, 0],
  );

  // An event with an envelope ack: the payload's schema, the ack's data and the codes.
  const send = document.operations().get("chat.receive.send-message");
  assert.ok(send, "chat.receive.send-message");
  const sendPayload = send.messages().all()[0].payload();
  assert.equal(sendPayload.properties().text.maxLength(), 500, "validation reaches the schema");
  const [success, failure] = send.reply().messages().all()[0].payload().oneOf();
  assert.deepEqual(Object.keys(success.properties().data.properties()).sort(), [
    "author",
    "id",
    "tags",
    "text",
  ]);
  const codes = failure.properties().error.properties().code.enum();
  assert.ok(codes.includes("not_member") && codes.includes("room_full"), `app codes: ${codes}`);
  assert.deepEqual(failure.properties().error.allOf()[0].required(), ["code", "message"], "WsError");

  // Two arguments, one binary: a tuple.
  const upload = document.operations().get("files.receive.upload").messages().all()[0].payload();
  assert.equal(upload.type(), "array");
  assert.deepEqual(
    upload.items().map((s) => [s.type(), s.format()]),
    [
      ["string", undefined],
      ["string", "binary"],
    ],
  );
  assert.equal(upload.minItems(), 2);
  assert.equal(upload.maxItems(), 2);

  // One name, both directions.
  assert.equal(document.operations().get("chat.receive.typing")?.action(), "receive");
  assert.equal(document.operations().get("chat.send.typing")?.action(), "send");

  // NestJS acks, and the `exception` event they come with.
  const ping = document.operations().get("legacy.receive.ping");
  const [bare] = ping.reply().messages().all()[0].payload().anyOf();
  assert.equal(bare.allOf()[0].type(), "string");
  assert.equal(document.operations().get("legacy.send.exception")?.action(), "send");

  assert.ok(document.components().schemas().get("WsError"), "components.schemas.WsError");
}

describe("AsyncAPI documents pass the official parser", () => {
  for (const { file, required } of documents()) {
    const name = path.relative(ROOT, file);
    if (!required && !existsSync(file)) {
      it(name, { skip: `${name} does not exist yet (not generated)` }, () => {});
      continue;
    }
    it(name, async (t) => {
      assert.ok(existsSync(file), `${file} does not exist`);
      const document = await parse(file, t);
      checkShape(document);
      if (file === FIXTURE) {
        checkFixture(document);
      }
    });
  }
});
