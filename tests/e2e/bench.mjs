// `make bench-wasm`: sizes of what the browser downloads (raw and gzip -9; the schema table is its
// own file, loaded after first paint, and the time to fetch and install it) and the seed example's
// render time in headless Chromium next to the native render time. Prints a table; asserts nothing.
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const dist = join(root, "web/dist");
const require = createRequire(join(root, "web/package.json"));
const { chromium } = require("playwright-core");
const RUNS = Number(process.env.BENCH_RUNS ?? 200);

const seedDir = join(root, "examples/seed");
const seedNames = readdirSync(seedDir).filter((f) => /^(docker-)?compose\.ya?ml$/.test(f)); // as the page loads it
const files = seedNames.map((name) => ({ name, text: readFileSync(join(seedDir, name), "utf8") }));

const size = (path) => {
  const bytes = readFileSync(join(dist, path));
  return { path, raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
};
const sizes = ["pkg/composex_wasm_bg.wasm", "pkg/composex_schema.json", "pkg/composex_wasm.js", "main.js", "worker.js", "assist-worker.js", "embed.js", "style.css"].map(size);

const native = spawnSync(join(root, "target/release/examples/native_render"),
  [String(RUNS), "composex", ...seedNames.map((n) => join(seedDir, n))], { encoding: "utf8" });
if (native.status !== 0) throw new Error(`native_render failed: ${native.stderr}`);
const nativeResult = JSON.parse(native.stdout);

const server = spawn("python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dist], { stdio: ["ignore", "pipe", "ignore"] });
const port = await new Promise((ok, fail) => {
  let seen = "";
  server.stdout.on("data", (c) => { seen += c; const m = seen.match(/port (\d+)/); if (m) ok(Number(m[1])); });
  setTimeout(() => fail(new Error("http.server did not start")), 10_000);
});
let browser;
let browserResult;
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
