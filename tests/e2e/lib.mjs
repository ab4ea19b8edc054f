// Helpers of the browser tests docs.mjs and npm.mjs: a static server on 127.0.0.1, Debian's
// Chromium through playwright-core, and `N passed, M failed` steps.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(join(root, "web/package.json"));
export const { chromium } = require("playwright-core");
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];

export const counts = { passed: 0, failed: 0 };
export async function step(name, body) {
  try {
    await body();
    counts.passed++;
    console.log(`ok   ${name}`);
  } catch (error) {
    counts.failed++;
    console.log(`FAIL ${name}\n     ${String(error?.stack ?? error).split("\n").slice(0, 12).join("\n     ")}`);
  }
}
export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Python's static server on 127.0.0.1 (a free port) over `dir`: { server, origin }. */
export function startServer(dir) {
  return new Promise((resolveServer, reject) => {
    const server = spawn("python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dir],
      { stdio: ["ignore", "pipe", "pipe"] });
    let seen = "";
    server.stdout.on("data", (chunk) => {
      seen += chunk;
      const m = seen.match(/port (\d+)/);
      if (m) resolveServer({ server, origin: `http://127.0.0.1:${m[1]}` });
    });
    server.stderr.resume(); // access log
    server.on("exit", (code) => reject(new Error(`http.server exited (${code}): ${seen}`)));
    setTimeout(() => reject(new Error("http.server did not start")), 10_000);
  });
}

/** A browser context that records every request and every console error or page error. */
export async function watchedContext(browser) {
  const context = await browser.newContext();
  const requests = [];
  const problems = [];
  context.on("request", (r) => requests.push(r.url()));
  context.on("page", (p) => {
    p.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${p.url()}: console.${m.type()}: ${m.text()}`);
    });
    p.on("pageerror", (e) => problems.push(`${p.url()}: pageerror: ${e}`));
  });
  return { context, requests, problems };
}

export function finish() {
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed === 0 ? 0 : 1);
}
