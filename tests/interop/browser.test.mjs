// Browser tests: the chat and dashboard examples' pages in real headless Chromium
// (Debian's `chromium`, driven by `playwright-core`), each page loading the official
// socket.io browser client from its server.
//
// Run against running servers that serve the client bundle locally:
//   SOCKET_IO_CLIENT_DIR=tests/interop/node_modules/socket.io-client/dist cargo run -p example-chat
//   SOCKET_IO_CLIENT_DIR=... PORT=3001 cargo run -p example-dashboard
//   CHAT_URL=http://127.0.0.1:3000 DASHBOARD_URL=http://127.0.0.1:3001 \
//     node --test tests/interop/browser.test.mjs
// or let `cargo test -p gateway-tests --test interop_browser` start both and run this.
//
// Screenshots of every page go to ARTIFACTS_DIR (default: target/browser-artifacts).

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const CHAT_URL = required("CHAT_URL").replace(/\/+$/, "");
const DASHBOARD_URL = required("DASHBOARD_URL").replace(/\/+$/, "");
const ARTIFACTS_DIR = resolve(process.env.ARTIFACTS_DIR ?? join(here, "../../target/browser-artifacts"));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
/**
 * How long to wait for something that must appear on a page. `waitForFunction` polls on a
 * timer (`polling`), not on animation frames, which a background tab does not get.
 */
const WAIT_MS = 5000;
/** How long to wait before concluding that something that must not happen did not. */
const QUIET_MS = 500;

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} to the example server's base URL, e.g. http://127.0.0.1:3000`);
  return value;
}

if (!existsSync(CHROMIUM)) {
  throw new Error(
    `Chromium not found at ${CHROMIUM}: install Debian's package (apt-get install -y chromium; ` +
      `.ci/run does) or set CHROMIUM_PATH`,
  );
}
mkdirSync(ARTIFACTS_DIR, { recursive: true });

/** One Chromium for the whole file, on a fresh user data dir. */
let context;
let profile;

before(async () => {
  profile = mkdtempSync(join(tmpdir(), "gateway-browser-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1000, height: 640 },
  });
  context.setDefaultTimeout(WAIT_MS);
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/**
 * Opens `url` in a new tab, records the page's errors (uncaught exceptions, console errors,
 * failed requests), and waits until every badge of `badges` says the socket is connected.
 */
async function open(url, name, badges) {
  const page = await context.newPage();
  page.name = name;
  page.problems = [];
  page.on("pageerror", (err) => page.problems.push(`uncaught: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") page.problems.push(`console: ${msg.text()}`);
  });
  page.on("requestfailed", (req) => page.problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  const response = await page.goto(url);
  assert.equal(response?.status(), 200, `${name}: GET ${url}`);
  if (!(await page.evaluate(() => typeof io === "function"))) {
    throw new Error(
      `${name}: the page has no socket.io client (is the server's SOCKET_IO_CLIENT_DIR set? ` +
        `without it the page loads the client from the socket.io CDN): ${page.problems.join("; ")}`,
    );
  }
  for (const badge of badges) {
    await page.locator(`${badge}[data-state="connected"]`).waitFor();
  }
  return page;
}

/** Saves a screenshot of the page as ARTIFACTS_DIR/<name>.png. */
async function screenshot(page, name = page.name) {
  if (page.isClosed()) return;
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
}

async function screenshots(pages) {
  for (const page of pages) await screenshot(page);
}

function noProblems(page) {
  assert.deepEqual(page.problems, [], `${page.name}: errors on the page`);
}

describe("chat page", { timeout: 30_000 }, () => {
  const pages = [];
  after(() => screenshots(pages));

  async function joinAs(page, user, project) {
    await page.fill("#join [name=user]", user);
    await page.fill("#join [name=project]", project);
    await page.click("#join button");
    await page.locator("#chat").waitFor();
    assert.equal(await page.textContent("#room"), `group:${project}`);
  }

  const onlineIs = (page, users) =>
    page.waitForFunction(
      (expected) => [...document.querySelectorAll("#online li")].map((li) => li.textContent).join() === expected,
      users.join(),
      { timeout: WAIT_MS, polling: 50 },
    );

  it("two pages in a project room see each other's messages, typing and presence", async () => {
    const alice = await open(CHAT_URL, "chat-alice", ["#status"]);
    pages.push(alice);
    const bob = await open(CHAT_URL, "chat-bob", ["#status"]);
    pages.push(bob);

    // A project of its own, so that a rerun against the same server starts empty.
    const project = `p-${Date.now().toString(36)}`;
    await joinAs(alice, "alice", project);
    await joinAs(bob, "bob", project);
    // Presence: `online-users` reached both pages.
    await onlineIs(alice, ["alice", "bob"]);
    await onlineIs(bob, ["alice", "bob"]);

    // Typing: Alice's keystrokes show on Bob's page, not on hers.
    await alice.fill("#composer [name=content]", "hello b");
    await bob.locator("#typing", { hasText: "alice is typing…" }).waitFor();
    assert.equal(await alice.textContent("#typing"), "");
    await screenshot(bob, "chat-bob-sees-alice-typing");

    // Sending: the message reaches Bob, and sending stops the typing indicator.
    await alice.fill("#composer [name=content]", "hello bob");
    await alice.press("#composer [name=content]", "Enter");
    const fromAlice = bob.locator("#messages li", { hasText: "hello bob" });
    await fromAlice.waitFor();
    assert.equal(await fromAlice.locator(".sender").textContent(), "alice");
    await bob.waitForFunction(() => document.querySelector("#typing").textContent === "", null, {
      timeout: WAIT_MS,
      polling: 50,
    });

    // And back.
    await bob.fill("#composer [name=content]", "hi alice <b>not bold</b>");
    await alice.locator("#typing", { hasText: "bob is typing…" }).waitFor();
    await bob.press("#composer [name=content]", "Enter");
    await alice.locator("#messages li", { hasText: "hi alice" }).waitFor();

    // Both pages show the conversation once each, in order; text stays text.
    for (const page of [alice, bob]) {
      await page.waitForFunction(() => document.querySelectorAll("#messages li").length === 2, null, {
        timeout: WAIT_MS,
        polling: 50,
      });
      assert.deepEqual(await page.locator("#messages li .content").allTextContents(), [
        "hello bob",
        "hi alice <b>not bold</b>",
      ]);
      assert.equal(await page.locator("#messages b").count(), 0, `${page.name}: a message became HTML`);
    }

    // A notification sent through the HTTP route reaches Bob's user room only.
    const res = await fetch(`${CHAT_URL}/notify/bob`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify("build 42 passed"),
    });
    assert.equal(res.status, 202);
    await bob.locator("#notifications li", { hasText: "build 42 passed" }).waitFor();
    await alice.waitForTimeout(QUIET_MS);
    assert.equal(await alice.locator("#notifications li").count(), 0);

    // Presence again: Bob leaves, Alice's list shrinks.
    await screenshots([bob]);
    await bob.close();
    pages.splice(pages.indexOf(bob), 1);
    await onlineIs(alice, ["alice"]);
    noProblems(alice);
    noProblems(bob);
  });
});

describe("dashboard page", { timeout: 30_000 }, () => {
  const pages = [];
  after(() => screenshots(pages));

  const device = (page, id) => page.locator(`.device[data-device="${id}"]`);
  const subscribed = (page, room) =>
    page.locator(`.room[data-room="${room}"][data-lights="subscribed"][data-climate="subscribed"]`).waitFor();

  it("an action on one page shows as an update on another, sensors stream in, unwatched rooms go quiet", async () => {
    const one = await open(DASHBOARD_URL, "dashboard-1", ["#lights-status", "#climate-status"]);
    pages.push(one);
    const two = await open(DASHBOARD_URL, "dashboard-2", ["#lights-status", "#climate-status"]);
    pages.push(two);

    // `state` on connect drew every device; each page subscribed to every room.
    for (const page of [one, two]) {
      assert.equal(await page.locator(".device").count(), 8, `${page.name}: 5 lights and 3 thermostats`);
      for (const room of ["living-room", "kitchen", "bedroom"]) await subscribed(page, room);
    }
    const lightOn = async (page) => (await device(page, "kitchen-ceiling").getAttribute("data-on")) === "true";
    const wasOn = await lightOn(two);
    assert.equal(await lightOn(one), wasOn);

    // The light switched on page one: page two shows it from the `update` delta.
    await device(one, "kitchen-ceiling").locator("button.toggle").click();
    await two.locator(`.device[data-device="kitchen-ceiling"][data-on="${!wasOn}"]`).waitFor();
    await two.locator("#log", { hasText: `lights update: kitchen-ceiling on=${!wasOn}` }).waitFor();
    assert.equal(
      await device(two, "kitchen-ceiling").locator("button.toggle").textContent(),
      wasOn ? "Turn on" : "Turn off",
    );

    // A thermostat's target raised on page one.
    const target = async (page) => parseFloat(await device(page, "kitchen-thermostat").locator(".target").textContent());
    const before = await target(two);
    await device(one, "kitchen-thermostat").locator("button.up").click();
    await device(two, "kitchen-thermostat")
      .locator(".target", { hasText: `${(before + 0.5).toFixed(1)} °C` })
      .waitFor();

    // Sensor readings arrive without anyone acting: the thermostat's version climbs.
    const version = Number(await device(two, "kitchen-thermostat").getAttribute("data-version"));
    await two.waitForFunction(
      (v) => Number(document.querySelector('.device[data-device="kitchen-thermostat"]').dataset.version) > v,
      version,
      { timeout: WAIT_MS, polling: 50 },
    );

    // Page two stops watching the kitchen: page one's next change no longer reaches it.
    await two.locator('.room[data-room="kitchen"] input[name=watch]').uncheck();
    await two.locator('.room[data-room="kitchen"][data-lights="unsubscribed"][data-climate="unsubscribed"]').waitFor();
    await device(one, "kitchen-ceiling").locator("button.toggle").click();
    await one.locator(`.device[data-device="kitchen-ceiling"][data-on="${wasOn}"]`).waitFor();
    await two.waitForTimeout(QUIET_MS);
    assert.equal(await lightOn(two), !wasOn, "an unwatched room updated");

    // Watching again brings the room's snapshot: page two catches up.
    await two.locator('.room[data-room="kitchen"] input[name=watch]').check();
    await subscribed(two, "kitchen");
    await two.locator(`.device[data-device="kitchen-ceiling"][data-on="${wasOn}"]`).waitFor();

    // Fifteen clicks at once: the server allows a client 10 events a second.
    await one.evaluate(() => {
      const up = document.querySelector('.device[data-device="bedroom-thermostat"] button.up');
      for (let i = 0; i < 15; i++) up.click();
    });
    await one.locator("#log .error", { hasText: "rate_limited" }).first().waitFor();

    noProblems(one);
    noProblems(two);
  });
});
