// `make bench-wasm`: sizes of what the browser downloads (raw and gzip -9; the schema table is its
// own file, loaded after first paint, and the time to fetch and install it) and the seed example's
// render time in headless Chromium next to the native render time; then the playground's keystroke
// path: the seed and a 100-service file sent to its render worker and answered (worker round trip
// included, as the page sees it). Prints a table and writes target/bench/wasm.json (for
// bench/readme.py); asserts nothing.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const dist = join(root, "web/dist");
const require = createRequire(join(root, "web/package.json"));
const { chromium } = require("playwright-core");
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
// Keystrokes on the 100-service file take tens of milliseconds each: fewer runs.
const WORKER_RUNS = Number(process.env.BENCH_WORKER_RUNS ?? 40);

const seedDir = join(root, "examples/seed");
const seedNames = readdirSync(seedDir).filter((f) => /^(docker-)?compose\.ya?ml$/.test(f)); // as the page loads it
const files = seedNames.map((name) => ({ name, text: readFileSync(join(seedDir, name), "utf8") }));

const size = (path) => {
  const bytes = readFileSync(join(dist, path));
  return { path, raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
};
const sizes = ["pkg/composex_wasm_bg.wasm", "pkg/composex_schema.json", "pkg/composex_wasm.js", "main.js", "worker.js", "assist-worker.js", "embed.js", "style.css"].map(size);

// The `web` series of bench/src/lib.rs (`synthetic_services`) at n services: each with a
// published port, every tenth in x-cloudmap. Kept the same so the figures compare.
const syntheticWeb = (n) => {
  let text = "services:\n";
  const pad = (i) => String(i).padStart(5, "0");
  for (let i = 0; i < n; i++) {
    const port = 8000 + (i % 1000);
    text += `  app${pad(i)}:
    image: 012345678912.dkr.ecr.eu-west-1.amazonaws.com/app${pad(i)}:1.0.${i}
    environment:
      APP_NAME: app${pad(i)}
      LOG_LEVEL: info
      UPSTREAM: http://app${pad((i + 1) % n)}.apps.local:8080
    healthcheck:
      test: ["CMD-SHELL", "curl -fs http://localhost:${port}/health || exit 1"]
      interval: 30s
    deploy:
      resources:
        limits:
          cpus: "0.25"
          memory: 512M
    ports:
      - "${port}:${port}"
`;
    if (i % 10 === 0) text += "    x-network:\n      x-cloudmap: apps\n";
  }
  return text + "x-cloudmap:\n  apps:\n    ZoneName: apps.local\n";
};
const web100 = [{ name: "web-100.yml", text: syntheticWeb(100) }];
const scratch = mkdtempSync(join(tmpdir(), "composex-bench-"));
writeFileSync(join(scratch, "web-100.yml"), web100[0].text);

const nativeRender = (runs, name, paths) => {
  const run = spawnSync(join(root, "target/release/examples/native_render"),
    [String(runs), name, ...paths], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`native_render failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
};
const nativeResult = nativeRender(RUNS, "composex", seedNames.map((n) => join(seedDir, n)));
const native100 = nativeRender(WORKER_RUNS, "scale", [join(scratch, "web-100.yml")]);

const server = spawn("python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dist], { stdio: ["ignore", "pipe", "ignore"] });
const port = await new Promise((ok, fail) => {
  let seen = "";
  server.stdout.on("data", (c) => { seen += c; const m = seen.match(/port (\d+)/); if (m) ok(Number(m[1])); });
  setTimeout(() => fail(new Error("http.server did not start")), 10_000);
});
let browser;
let browserResult;
let workerResult;
try {
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"] });
  const page = await browser.newPage();
  // A page that has not loaded the wasm yet (http.server's listing of pkg/), so init is measured cold.
  await page.goto(`http://127.0.0.1:${port}/pkg/`);
  browserResult = await page.evaluate(async ({ files, runs }) => {
    const started = performance.now();
    const wasm = await import("/pkg/composex_wasm.js");
    await wasm.default();
    const initMs = performance.now() - started;
    // The schema table, as the page loads it after first paint: fetched, then installed.
    const tableStarted = performance.now();
    const table = await (await fetch("/pkg/composex_schema.json")).text();
    const refused = wasm.loadSchema(table);
    if (refused !== undefined) throw new Error(`schema table refused: ${refused}`);
    const tableMs = performance.now() - tableStarted;
    const input = { files, env: {}, options: { projectName: "composex" } };
    const first = performance.now();
    wasm.render(input); // the first call also pays for the engine's tier-up
    const firstMs = performance.now() - first;
    for (let i = 0; i < 5; i++) wasm.render(input); // warm-up
    const times = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      wasm.render(input);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const out = wasm.render(input);
    return { initMs, tableMs, firstMs, median: times[times.length >> 1], files: out.files.length, errors: out.diagnostics.filter((d) => d.severity === "error").length };
  }, { files, runs: RUNS });
  // The keystroke path: the playground's own worker (worker.js, renderWithGraph), a request
  // posted and its answer received on the page, one at a time as the page sends them.
  workerResult = await page.evaluate(async ({ inputs, runs }) => {
    const worker = new Worker("/worker.js", { type: "module" });
    const replies = [];
    let waiting = null;
    worker.onmessage = (event) => {
      replies.push(event.data);
      if (waiting) { const w = waiting; waiting = null; w(); }
    };
    const next = async () => {
      while (!replies.length) await new Promise((ok) => { waiting = ok; });
      return replies.shift();
    };
    const ready = await next();
    if (ready.kind !== "ready") throw new Error(`worker: ${JSON.stringify(ready)}`);
    let seq = 0;
    const roundTrip = async (input) => {
      const started = performance.now();
      worker.postMessage({ seq: ++seq, input });
      const reply = await next();
      if (reply.kind !== "result") throw new Error(`worker: ${reply.message}`);
      const output = JSON.parse(reply.json); // as the page does before showing it
      return { ms: performance.now() - started, inWorker: reply.millis, output };
    };
    const result = {};
    for (const [name, input] of Object.entries(inputs)) {
      for (let i = 0; i < 3; i++) await roundTrip(input); // warm-up (tier-up)
      const times = [];
      const inside = [];
      let last;
      for (let i = 0; i < runs; i++) {
        last = await roundTrip(input);
        times.push(last.ms);
        inside.push(last.inWorker);
      }
      times.sort((a, b) => a - b);
      inside.sort((a, b) => a - b);
      result[name] = { median: times[times.length >> 1], renderMedian: inside[inside.length >> 1],
        files: last.output.files.length, errors: last.output.diagnostics.filter((d) => d.severity === "error").length };
    }
    worker.terminate();
    return result;
  }, {
    inputs: {
      seed: { files, env: {}, options: { projectName: "composex" } },
      "100 services": { files: web100, env: {}, options: { projectName: "scale" } },
    },
    runs: WORKER_RUNS,
  });
} finally {
  if (browser) await browser.close();
  server.kill("SIGTERM");
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`\nsizes (web/dist)\n${"file".padEnd(28)}${"raw".padStart(12)}${"gzip -9".padStart(12)}`);
for (const s of sizes) console.log(`${s.path.padEnd(28)}${kb(s.raw).padStart(12)}${kb(s.gz).padStart(12)}`);
console.log(`\nseed render (${seedDir.replace(root + "/", "")}, ${files.length} file(s), median of ${RUNS})`);
console.log(`${"where".padEnd(28)}${"median".padStart(12)}${"files".padStart(8)}`);
console.log(`${"native (release)".padEnd(28)}${`${nativeResult.median_ms.toFixed(3)} ms`.padStart(12)}${String(nativeResult.files).padStart(8)}`);
console.log(`${"wasm in Chromium".padEnd(28)}${`${browserResult.median.toFixed(3)} ms`.padStart(12)}${String(browserResult.files).padStart(8)}`);
console.log(`${"native, first render".padEnd(28)}${`${nativeResult.first_ms.toFixed(3)} ms`.padStart(12)}`);
console.log(`${"wasm, first render".padEnd(28)}${`${browserResult.firstMs.toFixed(3)} ms`.padStart(12)}`);
console.log(`${"wasm init (fetch+compile)".padEnd(28)}${`${browserResult.initMs.toFixed(1)} ms`.padStart(12)}`);
console.log(`${"schema table (fetch+load)".padEnd(28)}${`${browserResult.tableMs.toFixed(1)} ms`.padStart(12)}`);
if (browserResult.errors) console.log(`note: the seed render has ${browserResult.errors} error(s)`);
console.log(`\nkeystroke: the playground's render worker (renderWithGraph), posted to answered, median of ${WORKER_RUNS}`);
console.log(`${"input".padEnd(28)}${"round trip".padStart(12)}${"in worker".padStart(12)}${"native".padStart(12)}${"files".padStart(8)}`);
const nativeFor = { seed: nativeResult, "100 services": native100 };
for (const [name, r] of Object.entries(workerResult)) {
  console.log(`${name.padEnd(28)}${`${r.median.toFixed(2)} ms`.padStart(12)}${`${r.renderMedian.toFixed(2)} ms`.padStart(12)}` +
    `${`${nativeFor[name].median_ms.toFixed(2)} ms`.padStart(12)}${String(r.files).padStart(8)}`);
  if (r.errors) console.log(`note: ${name} has ${r.errors} error(s)`);
}
mkdirSync(join(root, "target/bench"), { recursive: true });
writeFileSync(join(root, "target/bench/wasm.json"), JSON.stringify({
  sizes, native: nativeResult, native100, browser: browserResult, worker: workerResult, runs: RUNS, workerRuns: WORKER_RUNS,
}, null, 2));
