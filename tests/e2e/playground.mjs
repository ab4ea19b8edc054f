// Browser end-to-end test of the playground (web/dist, built by `make web`), driving Debian's
// Chromium with playwright-core. Run by `make e2e` (part of `make test`). Prints `N passed, M failed`.
//
// It starts its own static server on 127.0.0.1 (free port) and stops it at the end; it records
// every request the browser makes and fails if one leaves that server.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const dist = join(root, "web/dist");
const shots = join(root, "target/screenshots");
const require = createRequire(join(root, "web/package.json"));
const { chromium } = require("playwright-core");

// The examples the page was built with (web/build.mjs reads the same folder).
const examplesDir = resolve(process.env.COMPOSEX_EXAMPLES ?? join(root, "examples"));
const seedDir = join(examplesDir, "seed");
const PROJECT = "composex"; // the page's default project name
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];

let passed = 0;
let failed = 0;
async function step(name, body) {
  try {
    await body();
    passed++;
    console.log(`ok   ${name}`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(error?.stack ?? error).split("\n").slice(0, 6).join("\n     ")}`);
  }
}
function check(condition, message) {
  if (!condition) throw new Error(message);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Files under `dir` as {relative path: Buffer}. */
function readTree(dir, base = dir, out = {}) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) readTree(path, base, out);
    else out[relative(base, path)] = readFileSync(path);
  }
  return out;
}

/** Entries of a .zip, read by Python's zipfile (which also checks every CRC), as {name: Buffer}. */
function unzip(file) {
  const script = "import sys,zipfile,json,base64\nz=zipfile.ZipFile(sys.argv[1])\nbad=z.testzip()\n" +
    "assert bad is None, bad\nprint(json.dumps({n: base64.b64encode(z.read(n)).decode() for n in z.namelist()}))";
  const run = spawnSync("python3", ["-c", script, file], { encoding: "utf8" });
  check(run.status === 0, `python could not read the zip: ${run.stderr}`);
  return Object.fromEntries(Object.entries(JSON.parse(run.stdout)).map(([k, v]) => [k, Buffer.from(v, "base64")]));
}

/** What `composex render` writes for `files`, run with a clean environment (no stray `${VAR}`s). */
function renderNatively(files, project) {
  const out = mkdtempSync(join(tmpdir(), "composex-e2e-cli-"));
  const cli = join(root, "target/debug/composex");
  const cleanEnv = { PATH: process.env.PATH, HOME: process.env.HOME ?? "/tmp" };
  const args = ["render", "-n", project, ...files.flatMap((f) => ["-f", f]), "-d", out];
  const run = spawnSync(cli, args, { encoding: "utf8", env: cleanEnv });
  check(!run.error, `could not run ${cli} (make e2e builds it): ${run.error}`);
  check(run.status === 0, `composex render failed (exit ${run.status}): ${run.stderr}`);
  return { files: readTree(out), by: "composex render (CLI)" };
}

function startServer() {
  return new Promise((resolvePort, reject) => {
    const server = spawn("python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dist],
      { stdio: ["ignore", "pipe", "pipe"] });
    let seen = "";
    server.stdout.on("data", (chunk) => {
      seen += chunk;
      const m = seen.match(/port (\d+)/);
      if (m) resolvePort({ server, port: Number(m[1]) });
    });
    server.stderr.resume(); // access log
    server.on("exit", (code) => reject(new Error(`http.server exited (${code}): ${seen}`)));
    setTimeout(() => reject(new Error("http.server did not start")), 10_000);
  });
}

const { server, port } = await startServer();
const origin = `http://127.0.0.1:${port}`;
const requests = [];
const problems = [];
let browser;

function watch(context, label) {
  context.on("request", (r) => requests.push({ label, url: r.url(), at: Date.now() }));
  context.on("page", (p) => {
    p.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${label}: console.${m.type()}: ${m.text()}`);
    });
    p.on("pageerror", (e) => problems.push(`${label}: pageerror: ${e}`));
  });
}

async function openPlayground(context, url = `${origin}/index.html`) {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector("body[data-ready]", { state: "attached", timeout: 20_000 })
    .catch((e) => { throw new Error(`page never became ready: ${problems.join("; ")} ${e}`); });
  // The schema table follows the first paint; the page is loaded once it is in.
  await page.waitForSelector('body[data-schema="loaded"]', { state: "attached", timeout: 20_000 })
    .catch((e) => { throw new Error(`the schema table never loaded: ${problems.join("; ")} ${e}`); });
  await idle(page);
  return page;
}

/** Waits until the newest input has been rendered and shown. */
async function idle(page) {
  // Two frames first, so an edit the editor has not picked up yet cannot pass for "idle".
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForSelector('body[data-state="idle"]', { state: "attached", timeout: 20_000 });
}

const outputTabs = (page) => page.$$eval("#output-tabs [role=tab]", (tabs) => tabs.map((t) => t.dataset.path));
const errorEntries = (page) => page.$$eval('#problem-list li[data-severity="error"]', (li) => li.map((l) => l.textContent));

/** Line numbers (from the line-number gutter) of the lint gutter's error marks. */
const markedLines = (page) => page.$$eval("#editor .cm-gutter-lint .cm-gutterElement", (marks) => {
  const numbers = [...document.querySelectorAll("#editor .cm-lineNumbers .cm-gutterElement")];
  return marks.filter((m) => m.querySelector(".cm-lint-marker-error")).map((m) => {
    const top = m.getBoundingClientRect().top;
    const row = numbers.find((n) => Math.abs(n.getBoundingClientRect().top - top) < 2);
    return row ? Number(row.textContent) : -1;
  });
});

/** How the output panel shows staleness: marker, viewer opacity, note text, download buttons. */
const staleView = (page) => page.evaluate(() => ({
  marked: document.querySelector("section.outputs").hasAttribute("data-stale"),
  opacity: Number(getComputedStyle(document.querySelector("#viewer")).opacity),
  note: document.querySelector("#stale-note").textContent,
  noteShown: document.querySelector("#stale-note").getBoundingClientRect().height > 0,
  downloads: ["#copy", "#download", "#download-all"].map((id) => {
    const b = document.querySelector(id);
    return { id, disabled: b.disabled, title: b.title };
  }),
}));

async function downloadAll(page) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-all")]);
  const file = join(mkdtempSync(join(tmpdir(), "composex-e2e-zip-")), download.suggestedFilename());
  await download.saveAs(file);
  return { name: download.suggestedFilename(), entries: unzip(file) };
}

try {
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
  const light = await browser.newContext({ colorScheme: "light", viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  watch(light, "light");
  let page;
  let seedTabs = [];
  // The "seed" example is the folder's base compose file alone (its overrides are other menu entries).
  const seedFiles = readdirSync(seedDir).filter((f) => /^(docker-)?compose\.ya?ml$/.test(f));
  const seedText = readFileSync(join(seedDir, seedFiles[0]), "utf8");

  await step("the page loads with the seed example and shows its generated files", async () => {
    page = await openPlayground(light);
    check((await page.$eval("#examples", (s) => s.value)) === "seed", "the seed example is not selected");
    seedTabs = await outputTabs(page);
    check(seedTabs.includes(`${PROJECT}.yaml`), `no root template tab ${PROJECT}.yaml in ${seedTabs}`);
    check((await errorEntries(page)).length === 0, `errors on the seed: ${await errorEntries(page)}`);
    check(/^v\d+\.\d+\.\d+/.test(await page.textContent("#version")), "no version shown");
    const inputTabs = await page.$$eval("#input-tabs [role=tab]", (t) => t.map((x) => x.textContent));
    check(JSON.stringify(inputTabs) === JSON.stringify(seedFiles), `input tabs ${inputTabs} != ${seedFiles}`);
    await page.screenshot({ path: join(shots, "playground-light.png") });
  });

  // Everything the first page asks for after it became ready (there should be nothing).
  const afterLoad = [];
  let recordingAfterLoad = true; // until the reload step loads the page again on purpose
  page?.on("request", (r) => recordingAfterLoad && afterLoad.push(r.url()));
  const typedLine = seedText.split("\n").length; // the seed ends in "\n": our line is the last one

  await step("typing an error marks its line and lists it; clicking the entry moves the cursor there", async () => {
    await page.click("#input-tabs [role=tab] >> nth=0");
    await page.click("#editor .cm-content");
    await page.keyboard.press("Control+End");
    // A second top-level `services` key: a duplicate-key error on the line we add.
    await page.keyboard.insertText("services: {}\n");
    await idle(page);
    const errors = await errorEntries(page);
    check(errors.length >= 1, "no error entry in the problems list");
    check(errors.some((e) => e.includes(`:${typedLine}:`)), `no entry at line ${typedLine}: ${errors}`);
    const marks = await markedLines(page);
    check(marks.includes(typedLine), `gutter marks at ${marks}, expected line ${typedLine}`);
    check(await page.$("#editor .cm-lintRange-error"), "no squiggle in the editor");
    // The last good output stays in sight: dimmed, marked stale with the error count, no downloads.
    check(JSON.stringify(await outputTabs(page)) === JSON.stringify(seedTabs), "the seed's templates are not kept while the input has errors");
    const stale = await staleView(page);
    check(stale.marked && stale.noteShown && stale.opacity < 0.8, `stale output not marked and dimmed: ${JSON.stringify(stale)}`);
    const count = `${errors.length} error${errors.length === 1 ? "" : "s"}`;
    check(stale.note.includes(count), `stale note "${stale.note}" does not say ${count}`);
    check(stale.downloads.every((b) => b.disabled && /stale/.test(b.title)), `download buttons while stale: ${JSON.stringify(stale.downloads)}`);
    await page.screenshot({ path: join(shots, "playground-stale.png") });
    // The note's button goes to the first problem.
    await page.keyboard.press("Control+Home");
    await page.click("#first-problem");
    check((await page.textContent("#cursor")).startsWith(`Ln ${typedLine},`), `the first-problem button left the cursor at ${await page.textContent("#cursor")}`);
    // Move the cursor away, then let the problems list bring it back.
    await page.keyboard.press("Control+Home");
    check((await page.textContent("#cursor")).startsWith("Ln 1,"), "cursor did not move to the top");
    await page.click(`#problem-list li[data-severity="error"] button >> nth=0`);
    const entry = errors.find((e) => e.includes(`:${typedLine}:`));
    const column = Number(entry.match(new RegExp(`:${typedLine}:(\\d+)`))[1]);
    const cursor = await page.textContent("#cursor");
    check(cursor === `Ln ${typedLine}, Col ${column}`, `cursor at "${cursor}", expected line ${typedLine} col ${column}`);
    check(await page.$eval("#editor .cm-editor", (e) => e.classList.contains("cm-focused")), "editor not focused after the jump");
  });

  await step("fixing the text clears the mark and the entry", async () => {
    await page.keyboard.press("Control+End");
    for (let i = 0; i < "services: {}\n".length; i++) await page.keyboard.press("Backspace");
    await idle(page);
    check((await errorEntries(page)).length === 0, `errors left: ${await errorEntries(page)}`);
    check((await markedLines(page)).length === 0, "gutter marks left");
    check(!(await page.$("#editor .cm-lintRange-error")), "squiggle left");
    check(JSON.stringify(await outputTabs(page)) === JSON.stringify(seedTabs), "output tabs did not come back");
    const fresh = await staleView(page);
    check(!fresh.marked && fresh.opacity === 1 && !fresh.noteShown, `output still marked stale: ${JSON.stringify(fresh)}`);
    check(fresh.downloads.every((b) => !b.disabled && !/stale/.test(b.title)), `download buttons after the fix: ${JSON.stringify(fresh.downloads)}`);
  });

  await step("a re-render that leaves the file on show unchanged keeps the viewer where it was scrolled", async () => {
    await page.click(`#output-tabs [data-path="${PROJECT}.yaml"]`);
    // The cursor goes to the end first: a compose line that made nothing, so it scrolls nothing.
    await page.click("#editor .cm-content");
    await page.keyboard.press("Control+End");
    await idle(page);
    const scroller = "#viewer .cm-scroller";
    await page.hover(scroller);
    await page.mouse.wheel(0, 600);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const scrolled = await page.$eval(scroller, (s) => s.scrollTop);
    check(scrolled > 0, `the root template does not scroll in the viewer (${scrolled})`);
    const before = await page.$eval("#viewer .cm-content", (c) => c.textContent);
    // A comment changes no generated file, but the page still renders it and shows the reply.
    const comment = "# e2e: a comment changes no output\n";
    await page.keyboard.insertText(comment);
    await idle(page);
    check((await errorEntries(page)).length === 0, `the comment gives errors: ${await errorEntries(page)}`);
    const after = await page.$eval(scroller, (s) => s.scrollTop);
    check(Math.abs(after - scrolled) <= 1, `the viewer scrolled from ${scrolled} to ${after} on an unchanged re-render`);
    check((await page.$eval("#viewer .cm-content", (c) => c.textContent)) === before, "the viewer shows other lines after an unchanged re-render (it was rebuilt)");
    check(/files in/.test(await page.textContent("#status")), "no render reported after the edit");
    for (let i = 0; i < comment.length; i++) await page.keyboard.press("Backspace");
    await idle(page);
  });

  await step("download all: the zip holds exactly the files the CLI writes, byte for byte", async () => {
    const { name, entries } = await downloadAll(page);
    check(name === `${PROJECT}.zip`, `zip named ${name}`);
    check(JSON.stringify(Object.keys(entries).sort()) === JSON.stringify([...seedTabs].sort()), `zip ${Object.keys(entries)} != tabs ${seedTabs}`);
    const native = renderNatively(seedFiles.map((f) => join(seedDir, f)), PROJECT);
    const want = Object.keys(native.files).sort();
    check(JSON.stringify(Object.keys(entries).sort()) === JSON.stringify(want), `zip ${Object.keys(entries).sort()} != ${native.by} ${want}`);
    for (const path of want) check(entries[path].equals(native.files[path]), `${path} differs from ${native.by}`);
    console.log(`     (${want.length} files compared with ${native.by})`);
  });

  // An override whose value reaches the templates through interpolation (a stack tag).
  const override = `x-tags:\n  e2e: "mark-\${E2E_TAG:-unset}"\n`;

  await step("a variable set in the env panel changes the output", async () => {
    await page.click("#add-file");
    await page.click("#editor .cm-content");
    await page.keyboard.press("Control+a");
    await page.keyboard.insertText(override);
    await idle(page);
    check((await errorEntries(page)).length === 0, `override gives errors: ${await errorEntries(page)}`);
    const before = Object.values((await downloadAll(page)).entries).map(String).join("\n");
    check(before.includes("mark-unset"), "the override's default value is not in the output");
    await page.fill("#env", "E2E_TAG=from-env-panel\n");
    await idle(page);
    const after = Object.values((await downloadAll(page)).entries).map(String).join("\n");
    check(after.includes("mark-from-env-panel"), "the env panel value is not in the output");
    check(!after.includes("mark-unset"), "the default value is still in the output");
  });

  await step("a share link opened in a new page restores the inputs (dark mode screenshot)", async () => {
    await page.fill("#project-name", "shared");
    await idle(page);
    const tabsHere = await outputTabs(page);
    await page.click("#share");
    await page.waitForFunction(() => document.querySelector("#share-url").value.includes("#s="));
    const link = await page.$eval("#share-url", (i) => i.value);
    check(link.startsWith(`${origin}/index.html#s=`), `link ${link}`);
    // A fresh context: no localStorage, so only the link can restore anything.
    const dark = await browser.newContext({ colorScheme: "dark", viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    watch(dark, "dark");
    const other = await openPlayground(dark, link);
    const names = await other.$$eval("#input-tabs [role=tab]", (t) => t.map((x) => x.textContent));
    check(JSON.stringify(names) === JSON.stringify([...seedFiles, "docker-compose.override.yml"]), `input tabs ${names}`);
    check((await other.inputValue("#project-name")) === "shared", "project name not restored");
    check((await other.inputValue("#env")) === "E2E_TAG=from-env-panel\n", "env not restored");
    await other.click("#input-tabs [role=tab] >> nth=1");
    const text = await other.$eval("#editor .cm-content", (c) => [...c.querySelectorAll(".cm-line")].map((l) => l.textContent).join("\n"));
    check(text === override, `override text not restored: ${JSON.stringify(text)}`);
    check(JSON.stringify(await outputTabs(other)) === JSON.stringify(tabsHere), "output tabs differ from the sharing page");
    await other.click("#input-tabs [role=tab] >> nth=0");
    await other.screenshot({ path: join(shots, "playground-dark.png") });
    const bg = await other.$eval("body", (b) => getComputedStyle(b).backgroundColor);
    check(bg !== "rgb(247, 247, 248)", `dark mode not applied (${bg})`);
  });

  await step("a reload restores the last input from localStorage; Reset brings the seed back", async () => {
    recordingAfterLoad = false;
    await page.reload();
    await page.waitForSelector("body[data-ready]", { state: "attached", timeout: 20_000 });
    await idle(page);
    const names = await page.$$eval("#input-tabs [role=tab]", (t) => t.map((x) => x.textContent));
    check(JSON.stringify(names) === JSON.stringify([...seedFiles, "docker-compose.override.yml"]), `after reload: ${names}`);
    check((await page.inputValue("#project-name")) === "shared", "project name not kept");
    await page.click("#reset");
    await idle(page);
    const reset = await page.$$eval("#input-tabs [role=tab]", (t) => t.map((x) => x.textContent));
    check(JSON.stringify(reset) === JSON.stringify(seedFiles), `after Reset: ${reset}`);
    check((await page.inputValue("#project-name")) === PROJECT && (await page.inputValue("#env")) === "", "options/env not reset");
    check(JSON.stringify(await outputTabs(page)) === JSON.stringify(seedTabs), "output differs from the seed's after Reset");
  });

  await step("the examples menu loads a base + override example; JSON format writes .json templates", async () => {
    const entries = await page.$$eval("#examples option", (o) => o.map((x) => x.value));
    const withOverride = entries.find((e) => e.startsWith("seed + "));
    check(withOverride, `no seed override example in ${entries}`);
    // Every entry says in one line what it shows; the selected one's line is next to the menu.
    const described = await page.$$eval("#examples option", (o) => o.map((x) => [x.value, x.title]));
    const bare = described.filter(([, title]) => !title || title.includes("\n"));
    check(bare.length === 0, `examples without a one-line description: ${bare.map(([v]) => v)}`);
    const about = () => page.textContent("#example-about");
    check((await about()) === described.find(([v]) => v === "seed")[1], `shown for the seed: ${await about()}`);
    await page.selectOption("#examples", withOverride);
    await idle(page);
    check((await about()) === described.find(([v]) => v === withOverride)[1], `shown for ${withOverride}: ${await about()}`);
    const names = await page.$$eval("#input-tabs [role=tab]", (t) => t.map((x) => x.textContent));
    check(names.length === 2 && names[0] === seedFiles[0], `tabs ${names}`);
    check((await errorEntries(page)).length === 0, `errors: ${await errorEntries(page)}`);
    await page.selectOption("#format", "json");
    await idle(page);
    const tabs = await outputTabs(page);
    check(tabs.includes(`${PROJECT}.json`) && !tabs.some((t) => t.endsWith(".yaml")), `tabs with JSON format: ${tabs}`);
    check((await page.$eval("#output-tabs [aria-selected=true]", (t) => t.dataset.path)) === `${PROJECT}.json`, "root template not selected");
    await page.click("#reset");
    await idle(page);
  });

  await step("a missing env file is named, created as a tab, and read; profiles select services", async () => {
    const compose = "services:\n  web:\n    image: nginx:1.25\n    env_file: web.env\n  dbg:\n    image: adminer\n    profiles: [debug]\n";
    await page.click("#input-tabs [role=tab] >> nth=0");
    await page.click("#editor .cm-content");
    await page.keyboard.press("Control+a");
    await page.keyboard.insertText(compose);
    await idle(page);
    const errors = await errorEntries(page);
    check(errors.length === 1 && errors[0].includes("env file `web.env` not found"), `errors: ${errors}`);
    await page.click("#problem-list button.create");
    const names = await page.$$eval("#input-tabs [role=tab]", (t) => t.map((x) => x.textContent));
    check(JSON.stringify(names) === JSON.stringify([seedFiles[0], "web.env"]), `tabs ${names}`);
    check((await page.$eval("#input-tabs [aria-selected=true]", (t) => t.textContent)) === "web.env", "the new tab is not shown");
    await page.click("#editor .cm-content");
    await page.keyboard.insertText("GREETING=hello-e2e\n");
    await idle(page);
    check((await errorEntries(page)).length === 0, `errors: ${await errorEntries(page)}`);
    const out = Object.values((await downloadAll(page)).entries).map(String).join("\n");
    check(out.includes("hello-e2e"), "the env file's variable is not in the templates");
    check(!(await outputTabs(page)).some((t) => t.startsWith("dbg.")), "a service of an inactive profile was rendered");
    const left = await page.$$eval('#problem-list li[data-severity="info"]', (li) => li.map((l) => l.textContent));
    check(left.some((t) => t.includes("`dbg` is left out")), `no note for the left-out service: ${left}`);
    check(await page.$$eval("#profile-names option", (o) => o.some((x) => x.value === "debug")), "debug not offered");
    await page.fill("#profiles", "debug");
    await idle(page);
    check((await outputTabs(page)).some((t) => t.startsWith("dbg.")), "the debug profile did not add the service");
    await page.screenshot({ path: join(shots, "playground-named-file.png") });
    await page.click("#reset");
    await idle(page);
  });

  await step("a missing config file is named, created as a tab, and mounted from SSM through the init container", async () => {
    const compose = "services:\n  web:\n    image: nginx:1.25\n    configs:\n      - source: site\n        target: /app/conf/site.conf\nconfigs:\n  site:\n    file: ./site.conf\n";
    await page.click("#input-tabs [role=tab] >> nth=0");
    await page.click("#editor .cm-content");
    await page.keyboard.press("Control+a");
    await page.keyboard.insertText(compose);
    await idle(page);
    const errors = await errorEntries(page);
    check(errors.length === 1 && errors[0].includes("site.conf"), `errors: ${errors}`);
    await page.click("#problem-list button.create");
    check((await page.$eval("#input-tabs [aria-selected=true]", (t) => t.textContent)) === "site.conf", "the new tab is not shown");
    await page.click("#editor .cm-content");
    await page.keyboard.insertText("listen 8080; # e2e-config\n");
    await idle(page);
    check((await errorEntries(page)).length === 0, `errors: ${await errorEntries(page)}`);
    const out = Object.values((await downloadAll(page)).entries).map(String).join("\n");
    check(out.includes("e2e-config"), "the config's content is not in the SSM parameter");
    check(out.includes("AWS::SSM::Parameter") && out.includes("COMPLETE") && out.includes("/app/conf"),
      "no SSM parameter, init container dependency or mount for the config");
    await page.click("#reset");
    await idle(page);
  });

  await step("the plain-compose example renders without an error or a warning, its volume on EFS", async () => {
    const entries = await page.$$eval("#examples option", (o) => o.map((x) => x.value));
    check(entries.includes("plain-compose"), `no plain-compose example in ${entries}`);
    await page.selectOption("#examples", "plain-compose");
    await idle(page);
    const loud = await page.$$eval('#problem-list li[data-severity="error"], #problem-list li[data-severity="warning"]',
      (li) => li.map((l) => l.textContent));
    check(loud.length === 0, `problems on plain-compose: ${loud}`);
    const tabs = await outputTabs(page);
    check(["web.yaml", "db.yaml", "cache.yaml", "efs.yaml"].every((t) => tabs.includes(t)), `tabs: ${tabs}`);
    await page.click("#reset");
    await idle(page);
  });

  await step("every example in the menu shows exactly the diagnostics examples/menu.json promises", async () => {
    const menu = JSON.parse(readFileSync(join(examplesDir, "menu.json"), "utf8"));
    const entries = await page.$$eval("#examples option", (o) => o.map((x) => x.value));
    check(JSON.stringify([...entries].sort()) === JSON.stringify(Object.keys(menu).sort()), `menu ${entries} != menu.json ${Object.keys(menu)}`);
    const wrong = [];
    for (const name of entries) {
      await page.selectOption("#examples", name);
      await idle(page);
      const shown = await page.$$eval("#problem-list li[data-severity]",
        (li) => li.map((l) => `${l.dataset.severity} ${l.querySelector(".code").textContent}`));
      const want = [...menu[name].diagnostics].sort();
      if (JSON.stringify(shown.sort()) !== JSON.stringify(want)) wrong.push(`${name}: shows ${JSON.stringify(shown)}, promised ${JSON.stringify(want)}`);
      const errors = shown.filter((d) => d.startsWith("error")).length;
      if (errors === 0 && (await outputTabs(page)).length === 0) wrong.push(`${name}: no templates`);
    }
    check(wrong.length === 0, wrong.join("; "));
    await page.click("#reset");
    await idle(page);
  });

  await step("an answer that comes back after the input changed is never shown", async () => {
    // A project big enough to keep the worker busy for a while: 150 families, each with a port.
    const big = "services:\n" + Array.from({ length: 150 }, (_, i) =>
      `  svc${String(i).padStart(3, "0")}:\n    image: example/svc:${i}\n    ports: ["${8000 + i}"]\n`).join("");
    await page.click("#input-tabs [role=tab] >> nth=0");
    await page.click("#editor .cm-content");
    await page.keyboard.press("Control+a");
    await page.keyboard.insertText(big); // the cursor is left at the end
    const bigLines = big.split("\n").length; // the line our edit lands on
    // In one task of the page: wait until the big input is in the worker, start watching the
    // output tabs, then edit. The worker's answer is a later task, so it cannot be handled
    // before the edit: it is stale by construction.
    const editedWhile = await page.evaluate(() => new Promise((resolve) => {
      const edit = () => {
        window.__staleShown = false;
        new MutationObserver(() => {
          if (document.querySelector('#output-tabs [data-path^="svc"]')) window.__staleShown = true;
        }).observe(document.querySelector("#output-tabs"), { childList: true, subtree: true });
        const state = document.body.dataset.state;
        document.execCommand("insertText", false, "services: {}\n");
        resolve(state);
      };
      if (document.body.dataset.state === "rendering") return edit();
      const watch = new MutationObserver(() => {
        if (document.body.dataset.state === "rendering") {
          watch.disconnect();
          edit();
        }
      });
      watch.observe(document.body, { attributes: true, attributeFilter: ["data-state"] });
    }));
    check(editedWhile === "rendering", `the edit was made in state ${editedWhile}`);
    await idle(page);
    check(!(await page.evaluate(() => window.__staleShown)), "the big project's templates were shown after the edit");
    const errors = await errorEntries(page);
    check(errors.some((e) => e.includes(`:${bigLines}:`)), `no error at the edited line ${bigLines}: ${errors}`);
    check(JSON.stringify(await outputTabs(page)) === JSON.stringify(seedTabs), `not the last good (seed) templates while the newest input has errors: ${await outputTabs(page)}`);
    check((await staleView(page)).marked, "the output is not marked stale while the newest input has errors");
    await page.click("#reset");
    await idle(page);
    check(JSON.stringify(await outputTabs(page)) === JSON.stringify(seedTabs), "Reset did not bring the seed back");
  });

  await step("keyboard only: every control is labelled and reachable with Tab", async () => {
    const controls = await page.$$eval("button, input, select, textarea, [contenteditable=true]", (all) =>
      all.filter((e) => !e.disabled && !e.hidden && e.offsetParent !== null).map((e) => {
        const name = e.getAttribute("aria-label") || e.title || (e.labels && [...e.labels].map((l) => l.textContent).join(" ")) || e.textContent;
        e.dataset.kbd = e.dataset.kbd || Math.random().toString(36).slice(2);
        return { id: e.dataset.kbd, what: e.id || e.className || e.tagName, name: (name || "").trim() };
      }));
    const unlabelled = controls.filter((c) => !c.name);
    check(unlabelled.length === 0, `unlabelled: ${unlabelled.map((c) => c.what)}`);
    await page.click("h1");
    const reached = new Set();
    for (let i = 0; i < controls.length * 2 + 10; i++) {
      await page.keyboard.press("Tab");
      const id = await page.evaluate(() => document.activeElement?.dataset.kbd);
      if (id) reached.add(id);
    }
    const missed = controls.filter((c) => !reached.has(c.id));
    check(missed.length === 0, `not reachable with Tab: ${missed.map((c) => c.what)}`);
    // And usable: Enter on a focused tab switches files.
    await page.focus("#input-tabs [role=tab] >> nth=0");
    await page.keyboard.press("Enter");
    check((await page.$eval("#input-tabs [role=tab] >> nth=0", (t) => t.getAttribute("aria-selected"))) === "true", "Enter did not select the tab");
  });

  // The controls a user needs, checked for size (touch) and keyboard reach at each width.
  const MAIN_CONTROLS = ["#examples", "#reset", "#share", "#input-tabs [role=tab]", "#add-file", "#add-extra",
    "#file-name", "#project-name", "#format", "#layout", "#profiles", "#env", "#output-tabs [role=tab]",
    "#copy", "#download", "#download-all", "footer a"];
  const PANELS = ["header", "section.inputs", "section.problems", "section.outputs", "footer"];

  for (const [width, height] of [[390, 844], [1440, 900]]) {
    await step(`at ${width}x${height}: panels do not overlap, nothing scrolls sideways, controls reachable by Tab${width < 900 ? " and 44 px" : ""}`, async () => {
      const context = await browser.newContext({ colorScheme: "light", viewport: { width, height } });
      watch(context, `${width}px`);
      const narrow = await openPlayground(context);
      const boxes = await narrow.$$eval(PANELS.join(","), (all) => all.map((e) => {
        const r = e.getBoundingClientRect();
        return { what: e.tagName + "." + e.className, x: r.x, y: r.y, w: r.width, h: r.height };
      }));
      check(boxes.length === PANELS.length, `${boxes.length} panels found`);
      for (const [i, a] of boxes.entries()) {
        check(a.w > 0 && a.h > 0, `${a.what} is empty`);
        for (const b of boxes.slice(i + 1)) {
          const overlapX = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
          const overlapY = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
          check(overlapX <= 0.5 || overlapY <= 0.5, `${a.what} and ${b.what} overlap: ${JSON.stringify([a, b])}`);
        }
      }
      const sideways = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(sideways <= 0, `the page scrolls sideways by ${sideways} px`);
      const top = (what) => boxes.find((b) => b.what.includes(what)).y;
      if (width < 900) {
        check(top("inputs") < top("problems") && top("problems") < top("outputs"), `not stacked editor, problems, output: ${JSON.stringify(boxes)}`);
        const tabs = await narrow.$eval("#output-tabs", (t) => ({ h: t.getBoundingClientRect().height, scroll: t.scrollWidth, client: t.clientWidth }));
        check(tabs.scroll > tabs.client && tabs.h < 60, `output tabs do not scroll in one row: ${JSON.stringify(tabs)}`);
        const selected = await narrow.$eval("#output-tabs", (t) => {
          const box = t.getBoundingClientRect();
          const at = t.querySelector("[aria-selected=true]").getBoundingClientRect();
          return at.left >= box.left - 0.5 && at.right <= box.right + 0.5;
        });
        check(selected, "the selected output tab is scrolled out of view");
      } else {
        check(top("inputs") === top("outputs") && top("problems") > top("inputs"), `not side by side: ${JSON.stringify(boxes)}`);
      }
      const sizes = await narrow.evaluate((selectors) => selectors.map((sel) => {
        const e = document.querySelector(sel);
        const r = e?.getBoundingClientRect();
        e.dataset.kbd = sel;
        return { sel, w: r?.width ?? 0, h: r?.height ?? 0 };
      }), MAIN_CONTROLS);
      if (width < 900) {
        const small = sizes.filter((s) => s.w < 44 || s.h < 44);
        check(small.length === 0, `smaller than 44x44 px: ${JSON.stringify(small)}`);
      }
      await narrow.click("h1");
      const reached = new Set();
      for (let i = 0; i < 80; i++) {
        await narrow.keyboard.press("Tab");
        const sel = await narrow.evaluate(() => document.activeElement?.dataset.kbd);
        if (sel) reached.add(sel);
      }
      const enabled = await narrow.evaluate((selectors) => selectors.filter((sel) => !document.querySelector(sel).disabled), MAIN_CONTROLS);
      const missed = enabled.filter((sel) => !reached.has(sel));
      check(missed.length === 0, `not reached with Tab: ${missed}`);
      await narrow.screenshot({ path: join(shots, `playground-${width}.png`), fullPage: true });
      if (width < 900) {
        // The problems list stays readable: one error entry, its message on a line of its own.
        await narrow.click("#editor .cm-content");
        await narrow.keyboard.press("Control+End");
        await narrow.keyboard.insertText("services: {}\n");
        await idle(narrow);
        const message = await narrow.$eval('#problem-list li[data-severity="error"] .message', (m) => m.getBoundingClientRect().width);
        check(message > width * 0.6, `the problem message is squeezed into ${message} px`);
        const entry = await narrow.$eval('#problem-list li[data-severity="error"] button', (b) => b.getBoundingClientRect().height);
        check(entry >= 44, `problem entry ${entry} px tall`);
        await narrow.$eval("section.problems", (p) => p.scrollIntoView());
        await narrow.screenshot({ path: join(shots, `playground-${width}-problems.png`) });
        // The embed page at the same width: no sideways scroll, tabs big enough to touch.
        const embed = await context.newPage();
        await embed.goto(`${origin}/embed.html`);
        await embed.waitForSelector('html[data-composex-embeds="2"]', { state: "attached", timeout: 20_000 });
        const over = await embed.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        check(over <= 0, `the embed page scrolls sideways by ${over} px`);
        const tabSizes = await embed.$$eval(".composex-tab, .composex-open", (t) => t.map((x) => x.getBoundingClientRect()).map((r) => [r.width, r.height]));
        check(tabSizes.length > 0 && tabSizes.every(([w, h]) => w >= 44 && h >= 44), `embed tabs ${JSON.stringify(tabSizes)}`);
        await embed.screenshot({ path: join(shots, `embed-${width}.png`), fullPage: true });
      }
      await context.close();
    });
  }

  await step("the docs embed page renders both snippets", async () => {
    const embed = await light.newPage();
    await embed.goto(`${origin}/embed.html`);
    await embed.waitForSelector('html[data-composex-embeds="2"]', { state: "attached", timeout: 20_000 });
    const boxes = await embed.$$eval(".composex-embed", (b) => b.map((x) => ({ files: Number(x.dataset.files), errors: Number(x.dataset.errors), tabs: [...x.querySelectorAll("[role=tab]")].map((t) => t.dataset.path) })));
    check(boxes.length === 2, `${boxes.length} embeds`);
    check(boxes[0].files > 0 && boxes[0].errors === 0 && boxes[0].tabs.includes("hello.yaml"), `first embed: ${JSON.stringify(boxes[0])}`);
    check(boxes[1].files > 0 && boxes[1].errors === 0 && boxes[1].tabs.includes("jobs.json"), `second embed: ${JSON.stringify(boxes[1])}`);
    await embed.screenshot({ path: join(shots, "embed-light.png"), fullPage: true });
    // "Open in the playground" carries the (edited) snippet in the share fragment.
    await embed.fill(".composex-embed >> nth=0 >> textarea", "services:\n  opened:\n    image: nginx:1.27\n");
    await embed.waitForFunction(() => document.querySelector(".composex-embed").dataset.linked === "2");
    const link = await embed.$eval(".composex-embed >> nth=0 >> a.composex-open", (a) => a.href);
    check(link.startsWith(`${origin}/index.html#s=`), `open link ${link}`);
    const opened = await openPlayground(light, link);
    const text = await opened.$eval("#editor .cm-content", (c) => [...c.querySelectorAll(".cm-line")].map((l) => l.textContent).join("\n"));
    check(text === "services:\n  opened:\n    image: nginx:1.27\n", `playground opened with ${JSON.stringify(text)}`);
    check((await opened.inputValue("#project-name")) === "hello", "project name not carried");
    check((await outputTabs(opened)).includes("opened.yaml"), `tabs ${await outputTabs(opened)}`);
    await opened.close();
  });

  await step("completion: a partial Properties key offers its name, picking it writes it; hover explains it", async () => {
    const assist = await openPlayground(light);
    const lastLines = () => assist.$$eval("#editor .cm-line", (ls) => ls.map((l) => l.textContent).slice(-5));
    /** Waits for the completion list's selected entry to start with `label`, then picks it. */
    const pick = async (label) => {
      await assist.waitForFunction((want) => {
        const li = document.querySelector(".cm-tooltip-autocomplete li[aria-selected]");
        return li && li.textContent.startsWith(want);
      }, label, { timeout: 10_000 }).catch(async () => {
        const shown = await assist.$$eval(".cm-tooltip-autocomplete li", (li) => li.map((l) => l.textContent));
        throw new Error(`no completion ${label}: list ${JSON.stringify(shown)}, lines ${JSON.stringify(await lastLines())}`);
      });
      const offered = await assist.textContent(".cm-tooltip-autocomplete li[aria-selected]");
      // CodeMirror ignores Enter for a short while after the list changes (interactionDelay, 75 ms).
      await sleep(300);
      await assist.keyboard.press("Enter");
      return offered;
    };
    const hasLine = (text) => assist.waitForFunction((want) =>
      [...document.querySelectorAll("#editor .cm-line")].some((l) => l.textContent.trim() === want), text, { timeout: 5_000 })
      .catch(async () => { throw new Error(`no line "${text}": ${JSON.stringify(await lastLines())}`); });
    await assist.click("#editor .cm-content");
    await assist.keyboard.press("Control+End");
    await assist.keyboard.insertText("\nx-sqs:\n  jobs:\n    Properties:\n      ");
    await assist.keyboard.type("Delay");
    const offered = await pick("DelaySeconds");
    check(offered.includes("integer"), `no type shown in "${offered}"`);
    await hasLine("DelaySeconds");
    // An allowed value after `key: ` (DynamoDB BillingMode), picked from the list.
    await assist.keyboard.insertText(": 5\nx-dynamodb:\n  table:\n    Properties:\n      BillingMode: ");
    await assist.keyboard.type("PAY");
    await pick("PAY_PER_REQUEST");
    await hasLine("BillingMode: PAY_PER_REQUEST");
    // Hover over the property name shows its type, resource type and one line of docs.
    const box = await assist.evaluate(() => {
      const line = [...document.querySelectorAll("#editor .cm-line")].reverse().find((l) => l.textContent.includes("DelaySeconds: 5"));
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent.indexOf("DelaySeconds");
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at + 3);
        range.setEnd(node, at + 6);
        const r = range.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }
      return null;
    });
    check(box, "DelaySeconds is not on screen");
    await assist.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const tip = await assist.waitForSelector(".cm-composex-hover", { timeout: 10_000 });
    const text = await tip.textContent();
    check(text.startsWith("DelaySeconds: integer (AWS::SQS::Queue)") && text.includes("seconds"), `hover text "${text}"`);
    await assist.screenshot({ path: join(shots, "playground-hover.png") });
    await assist.close();
  });

  await step("the schema table arrives after first paint: Properties checks stay silent before it, run after it", async () => {
    // The table's response is held until the page has painted and a bad value is typed.
    const context = await browser.newContext({ colorScheme: "light", viewport: { width: 1400, height: 900 } });
    watch(context, "schema");
    let release;
    const gate = new Promise((r) => { release = r; });
    let asked = 0;
    await context.route("**/pkg/composex_schema.json", async (route) => { asked++; await gate; await route.continue(); });
    const held = await context.newPage();
    await held.goto(`${origin}/index.html`);
    await held.waitForSelector("body[data-ready]", { state: "attached", timeout: 20_000 });
    await held.waitForFunction(() => document.body.dataset.schema === "loading", null, { timeout: 10_000 });
    await held.click("#editor .cm-content");
    await held.keyboard.press("Control+End");
    await held.keyboard.insertText("x-sns:\n  alerts:\n    Properties:\n      FifoTopic: maybe\n");
    const badLine = seedText.split("\n").length + 3;
    await idle(held);
    const before = await held.$$eval("#problem-list li", (li) => li.map((l) => l.textContent));
    check(!before.some((t) => /CX50\d|CX362/.test(t)), `Properties checked before the table arrived: ${before}`);
    check((await errorEntries(held)).length === 0, `errors before the table arrived: ${before}`);
    check(asked === 1, `the table was asked for ${asked} times`);
    release();
    await held.waitForSelector('body[data-schema="loaded"]', { state: "attached", timeout: 20_000 });
    await idle(held);
    const after = await errorEntries(held);
    check(after.some((e) => e.includes("CX500") && e.includes(`:${badLine}:`)), `no CX500 at line ${badLine} once loaded: ${after}`);
    const t = await held.evaluate(() => ({
      paint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime,
      table: performance.getEntriesByType("resource").find((e) => e.name.endsWith("/pkg/composex_schema.json"))?.startTime,
    }));
    const paint = t.paint;
    check(paint !== undefined && t.table !== undefined && t.table >= paint, `table requested at ${t.table} ms, first paint at ${paint} ms`);
    console.log(`     (first paint ${paint.toFixed(0)} ms, table requested at ${t.table.toFixed(0)} ms)`);
    await context.close();
  });

  await step("no request left 127.0.0.1, none was made after load, no console error or CSP violation", async () => {
    const outside = requests.filter((r) => !r.url.startsWith(`${origin}/`) && !r.url.startsWith("blob:") && !r.url.startsWith("data:"));
    check(outside.length === 0, `requests elsewhere: ${outside.map((r) => r.url)}`);
    const late = afterLoad.filter((url) => !url.startsWith("blob:"));
    check(late.length === 0, `requests after load: ${late}`);
    check(problems.length === 0, problems.join("\n"));
    console.log(`     (${requests.length} requests, all to ${origin})`);
  });
} catch (error) {
  failed++;
  console.log(`FAIL setup: ${error?.stack ?? error}`);
} finally {
  if (browser) await browser.close();
  server.kill("SIGTERM");
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
