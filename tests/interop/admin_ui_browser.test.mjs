// Browser test: the official Socket.IO Admin UI, as `@socket.io/admin-ui` 0.5.1 ships it
// (`ui/dist`, served here from node_modules on a port of its own: another origin, as the
// hosted dashboard is), in headless Chromium against the chat example with
// `GatewayApp::admin_ui` (tests/tests/interop_admin_ui.rs starts it and sets CHAT_URL,
// UI_PORT, ADMIN_PASSWORD). Logs in, sees the chat's socket on the Sockets page, and
// disconnects it from the UI: the socket.io-client of that socket gets the disconnect.
// Screenshots go to ARTIFACTS_DIR (default: target/browser-artifacts).

import assert from "node:assert/strict";
import { createReadStream, existsSync, mkdirSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { io } from "socket.io-client";

const here = dirname(fileURLToPath(import.meta.url));
const CHAT_URL = process.env.CHAT_URL;
const UI_PORT = Number(process.env.UI_PORT);
const PASSWORD = process.env.ADMIN_PASSWORD;
const ARTIFACTS_DIR = resolve(process.env.ARTIFACTS_DIR ?? join(here, "../../target/browser-artifacts"));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const UI_DIR = join(here, "node_modules/@socket.io/admin-ui/ui/dist");
const WAIT_MS = 10_000;
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml" };

assert.ok(CHAT_URL && UI_PORT && PASSWORD, "set CHAT_URL, UI_PORT and ADMIN_PASSWORD");
assert.ok(existsSync(join(UI_DIR, "index.html")), `${UI_DIR}: run npm ci --prefix tests/interop`);
mkdirSync(ARTIFACTS_DIR, { recursive: true });

/** The dashboard's files, as a static server would serve them. */
function serveUi() {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = join(UI_DIR, path === "/" ? "index.html" : path);
    if (!file.startsWith(UI_DIR) || !existsSync(file) || statSync(file).isDirectory()) file = join(UI_DIR, "index.html");
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(UI_PORT, "127.0.0.1", () => ok(server)));
}

describe("the Socket.IO Admin UI in Chromium", { timeout: 60_000 }, () => {
  let ui;
  let browser;
  before(async () => {
    ui = await serveUi();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"] });
  });
  after(async () => {
    await browser?.close();
    ui?.close();
  });

  it("logs in, lists the chat's socket, and disconnects it", async () => {
    const chat = io(`${CHAT_URL}/chat`, { transports: ["websocket"], reconnection: false });
    await new Promise((ok, ko) => {
      chat.once("connect", ok);
      chat.once("connect_error", ko);
    });
    const chatId = chat.id;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(`http://127.0.0.1:${UI_PORT}/`);
      await page.getByLabel("Server URL").fill(CHAT_URL);
      await page.getByLabel("Username").fill("admin");
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Connect" }).click();
      await page.getByText("connected", { exact: true }).first().waitFor({ timeout: WAIT_MS });
      // The dashboard: both namespaces, from server_stats.
      await page.locator("code", { hasText: "/chat" }).first().waitFor({ timeout: WAIT_MS });
      await page.waitForTimeout(600); // the page's transitions, for the screenshot
      await page.screenshot({ path: join(ARTIFACTS_DIR, "admin-ui-dashboard.png") });

      await page.getByRole("link", { name: "Sockets" }).click();
      const row = page.locator("main tbody tr", { hasText: chatId });
      await row.waitFor({ timeout: WAIT_MS });
      assert.match(await row.innerText(), /WebSocket/);
      await page.waitForTimeout(600);
      await page.screenshot({ path: join(ARTIFACTS_DIR, "admin-ui-sockets.png") });

      const reason = new Promise((ok) => chat.once("disconnect", ok));
      await row.locator("button").click();
      assert.equal(await Promise.race([reason, new Promise((ok) => setTimeout(() => ok("no disconnect"), WAIT_MS))]), "io server disconnect");
    } finally {
      await page.close();
      chat.close();
    }
  });
});
