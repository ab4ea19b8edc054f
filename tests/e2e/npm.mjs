// Tests of the npm package `make npm` packs (target/npm/composex-wasm-<version>.tgz), as a user
// of it would install it: into a scratch project, from the tarball, with no registry. Run by
// `make npm-test` (part of `make test`). Prints `N passed, M failed`.
//
// - Node: `initSync({ module: bytes })` and `render` of the seed give the same files, byte for
//   byte, as `composex render` (the CLI);
// - TypeScript: the package's types resolve through its `exports` (tsc --noEmit);
// - a bundler: a two-line page bundled with esbuild renders the seed in Chromium;
// - a plain `<script type="module">`: the package's embed script turns a snippet into a live
//   example. No request leaves the test's server on 127.0.0.1.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { CHROMIUM_ARGS, check, chromium, counts, finish, root, startServer, step, watchedContext } from "./lib.mjs";

const manifest = JSON.parse(readFileSync(join(root, "target/npm/package/package.json"), "utf8"));
const tarball = join(root, "target/npm", `${manifest.name}-${manifest.version}.tgz`);
const seedFile = join(root, "examples/seed/docker-compose.yml");
const seed = readFileSync(seedFile, "utf8");
const scratch = mkdtempSync(join(tmpdir(), "composex-npm-"));
const webRequire = createRequire(join(root, "web/package.json"));

function readTree(dir, base = dir, out = {}) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) readTree(path, base, out);
    else out[relative(base, path)] = readFileSync(path, "utf8");
  }
  return out;
}

/** What the CLI writes for the seed (clean environment: no stray `${VAR}`s). */
function cliFiles() {
  const out = mkdtempSync(join(tmpdir(), "composex-npm-cli-"));
  const run = spawnSync(join(root, "target/debug/composex"), ["render", "-n", "myapps", "-f", seedFile, "-d", out],
    { encoding: "utf8", env: { PATH: process.env.PATH, HOME: process.env.HOME ?? "/tmp" } });
  check(run.status === 0, `composex render failed: ${run.stderr}`);
  return readTree(out);
}

await step(`${relative(root, tarball)} holds the wasm, glue, types, embed and README`, async () => {
  const listing = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
  for (const file of ["package.json", "README.md", "embed.js", "embed.css", "embed.d.ts", "pkg/composex_wasm.js",
    "pkg/composex_wasm.d.ts", "pkg/composex_wasm_bg.wasm"]) {
    check(listing.includes(`package/${file}`), `no ${file} in ${listing.join(" ")}`);
  }
});

await step("installs from the tarball into a scratch project (no registry)", async () => {
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], { cwd: scratch, stdio: "pipe" });
  check(statSync(join(scratch, "node_modules", manifest.name, "pkg/composex_wasm_bg.wasm")).size > 100_000, "no wasm installed");
});

await step("Node: initSync + loadSchema + render of the seed gives the CLI's files, byte for byte", async () => {
  const script = `
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { initSync, loadSchema, render, schemaLoaded, validate, version } from "${manifest.name}";
const require = createRequire(import.meta.url);
initSync({ module: readFileSync(require.resolve("${manifest.name}/composex_wasm_bg.wasm")) });
const bad = { files: [{ name: "docker-compose.yml", text: "services:\\n  app:\\n    image: nginx\\nx-sqs:\\n  q:\\n    Properties:\\n      DelaySeconds: soon\\n" }] };
const before = validate(bad).diagnostics.map((d) => d.code);
const refused = loadSchema(readFileSync(require.resolve("${manifest.name}/composex_schema.json"), "utf8"));
if (refused !== undefined || !schemaLoaded()) throw new Error(\`schema table refused: \${refused}\`);
const after = validate(bad).diagnostics.map((d) => d.code);
const text = readFileSync(process.argv[2], "utf8");
const output = render({ files: [{ name: "docker-compose.yml", text }], options: { projectName: "myapps" } });
console.log(JSON.stringify({ version: version(), before, after, ...output }));
`;
  writeFileSync(join(scratch, "render.mjs"), script);
  const output = JSON.parse(execFileSync("node", ["render.mjs", seedFile], { cwd: scratch, encoding: "utf8", maxBuffer: 64 << 20 }));
  check(output.version === manifest.version, `version ${output.version}`);
  // The schema table is its own file: before loadSchema no Properties check, after it CX500.
  check(!output.before.includes("CX500") && output.after.includes("CX500"), `before ${output.before}, after ${output.after}`);
  check(!output.diagnostics.some((d) => d.severity === "error"), JSON.stringify(output.diagnostics));
  const fromCli = cliFiles();
  const fromNode = Object.fromEntries(output.files.map((f) => [f.path, f.text]));
  check(JSON.stringify(Object.keys(fromNode).sort()) === JSON.stringify(Object.keys(fromCli).sort()),
    `files differ: ${Object.keys(fromNode)} vs ${Object.keys(fromCli)}`);
  for (const [path, text] of Object.entries(fromCli)) check(fromNode[path] === text, `${path} differs`);
  console.log(`     (${output.files.length} files, same as the CLI's)`);
});

await step("TypeScript: the types resolve through the package's exports", async () => {
  writeFileSync(join(scratch, "check.ts"), `
import init, { initSync, render, type Output } from "${manifest.name}";
import { renderSnippets } from "${manifest.name}/embed";
const output: Output = render({ files: [{ name: "docker-compose.yml", text: "services: {}" }] });
const count: number = output.files.length + output.diagnostics.length;
const mounted: Promise<number> = renderSnippets(document);
export { init, initSync, count, mounted };
`);
  writeFileSync(join(scratch, "tsconfig.json"), JSON.stringify({ compilerOptions: {
    target: "es2022", module: "esnext", moduleResolution: "bundler", strict: true, noEmit: true, lib: ["es2022", "dom"],
    skipLibCheck: false }, files: ["check.ts"] }));
  const tsc = join(root, "web/node_modules/.bin/tsc");
  const run = spawnSync(tsc, ["-p", "."], { cwd: scratch, encoding: "utf8" });
  check(run.status === 0, `tsc: ${run.stdout}${run.stderr}`);
  // A wrong use is caught: the types are really read.
  writeFileSync(join(scratch, "check.ts"), `import { render } from "${manifest.name}";\nconst n: string = render({ files: [] }).files;\nexport { n };\n`);
  const wrong = spawnSync(tsc, ["-p", "."], { cwd: scratch, encoding: "utf8" });
  check(wrong.status !== 0, "tsc accepted a wrong type");
});

const site = join(scratch, "site");
await step("esbuild bundles a two-line page", async () => {
  mkdirSync(site, { recursive: true });
  writeFileSync(join(scratch, "page.js"), `import init, { render } from "${manifest.name}";
await init(); document.body.dataset.files = String(render({ files: [{ name: "docker-compose.yml", text: SEED }], options: { projectName: "myapps" } }).files.length);
`);
  const { build } = webRequire("esbuild");
  await build({ entryPoints: [join(scratch, "page.js")], absWorkingDir: scratch, bundle: true, format: "esm",
    target: "es2022", outfile: join(site, "page.js"), define: { SEED: JSON.stringify(seed) }, logLevel: "warning" });
  // esbuild leaves `new URL("composex_wasm_bg.wasm", import.meta.url)` as it is: the wasm goes next to the bundle.
  copyFileSync(join(scratch, "node_modules", manifest.name, "pkg/composex_wasm_bg.wasm"), join(site, "composex_wasm_bg.wasm"));
  writeFileSync(join(site, "bundled.html"), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>bundled</title><script type="module" src="page.js"></script><body></body>`);
  // The embed, as a plain <script type="module"> straight from the package's files.
  cpSync(join(scratch, "node_modules", manifest.name), join(site, "composex"), { recursive: true });
  writeFileSync(join(site, "embed.html"), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>embed</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'">
<link rel="stylesheet" href="composex/embed.css"><script type="module" src="composex/embed.js"></script>
<pre class="composex" data-project="hello">services:
  web:
    image: nginx:1.27
</pre>`);
});

let server;
let browser;
try {
  let origin;
  ({ server, origin } = await startServer(site));
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
  const { context, requests, problems } = await watchedContext(browser);
  const page = await context.newPage();
  const expected = Object.keys(cliFiles()).length;

  await step("Chromium: the bundled page renders the seed", async () => {
    await page.goto(`${origin}/bundled.html`);
    await page.waitForSelector("body[data-files]", { state: "attached", timeout: 30_000 });
    const files = Number(await page.getAttribute("body", "data-files"));
    check(files === expected, `${files} files, the CLI writes ${expected}`);
  });

  await step("Chromium: the package's embed script makes a snippet live (under a strict CSP)", async () => {
    await page.goto(`${origin}/embed.html`);
    await page.waitForSelector('html[data-composex-embeds="1"]', { state: "attached", timeout: 30_000 });
    const box = page.locator(".composex-embed");
    check(Number(await box.getAttribute("data-files")) > 0, "no files");
    check(await box.getAttribute("data-errors") === "0", "errors");
  });

  await step(`no request left ${origin}; no console error`, async () => {
    const outside = requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith("data:") && !url.startsWith("blob:"));
    check(outside.length === 0, `requests elsewhere: ${outside.join(", ")}`);
    check(problems.length === 0, problems.join("\n"));
  });
} catch (error) {
  counts.failed++;
  console.log(`FAIL setup: ${error?.stack ?? error}`);
} finally {
  if (browser) await browser.close();
  server?.kill("SIGTERM");
}
finish();
