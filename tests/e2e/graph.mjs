// Browser tests of the playground's Graph and Changes views and of the source-map highlights
// (web/dist, built by `make web`), plus the mermaid package (pinned in web/package.json) parsing
// and drawing `composex graph --format mermaid` for every example. Run by `make e2e`. Prints
// `N passed, M failed`. Starts its own static server on 127.0.0.1 and stops it at the end.
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const dist = join(root, "web/dist");
const require = createRequire(join(root, "web/package.json"));
const { chromium } = require("playwright-core");
const mermaidScript = join(root, "web/node_modules/mermaid/dist/mermaid.min.js");
const cli = join(root, "target/debug/composex");
const examplesDir = join(root, "examples");
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

/** `composex graph` of `file` (run from the file's folder, so locations name it as the page does). */
function graphOf(file, format = "json") {
  const run = spawnSync(cli, ["graph", "-n", "composex", "-f", file.split("/").pop(), "--format", format],
    { cwd: dirname(file), encoding: "utf8", env: { PATH: process.env.PATH, HOME: process.env.HOME ?? "/tmp" } });
  check(!run.error && run.status === 0, `composex graph ${file}: ${run.error ?? run.stderr}`);
  return format === "json" ? JSON.parse(run.stdout) : run.stdout;
}

const examples = readdirSync(examplesDir)
  .filter((d) => d !== "mistakes" && existsSync(join(examplesDir, d, "docker-compose.yml")))
  .map((d) => join(examplesDir, d, "docker-compose.yml"));

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
    server.stderr.resume();
    server.on("exit", (code) => reject(new Error(`http.server exited (${code}): ${seen}`)));
    setTimeout(() => reject(new Error("http.server did not start")), 10_000);
  });
}

async function idle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForSelector('body[data-state="idle"]', { state: "attached", timeout: 20_000 });
}

/** Text of the lines of `#host` that carry class `cls` (CodeMirror line decorations). */
const linesWith = (page, host, cls) => page.$$eval(`${host} .cm-line.${cls}`, (lines) => lines.map((l) => l.textContent));

/** Clicks the line of `#host` whose text is exactly `text`. */
async function clickLine(page, host, text) {
  const lines = await page.$$(`${host} .cm-line`);
  for (const line of lines) {
    if ((await line.textContent()) === text) {
      await line.click();
      return;
    }
  }
  throw new Error(`no line ${JSON.stringify(text)} in ${host}`);
}

const { server, port } = await startServer();
const origin = `http://127.0.0.1:${port}`;
const requests = [];
const problems = [];
let browser;
try {
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  context.on("request", (r) => requests.push(r.url()));
  context.on("page", (p) => {
    p.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`console.${m.type()}: ${m.text()}`); });
    p.on("pageerror", (e) => problems.push(`pageerror: ${e}`));
  });
  const page = await context.newPage();
  await page.goto(`${origin}/index.html`);
  await page.waitForSelector("body[data-ready]", { state: "attached", timeout: 20_000 });
  await idle(page);
  const seedFile = join(examplesDir, "seed/docker-compose.yml");
  const seed = graphOf(seedFile);

  await step("the Graph view shows the seed's nodes and edges, as `composex graph` lists them", async () => {
    await page.click("#graph-tab");
    await page.waitForSelector("svg.graph .graph-node");
    const ids = await page.$$eval("svg.graph .graph-node", (n) => n.map((x) => x.dataset.id));
    check(JSON.stringify(ids) === JSON.stringify(seed.nodes.map((n) => n.id)), `nodes ${ids}`);
    for (const id of ["service:app01", "service:app02", "x-sqs:jobs", "x-sqs:jobs-dlq", "x-elbv2:public-alb", "vpc", "cluster"]) {
      check(ids.includes(id), `no node ${id}`);
    }
    const edges = await page.$$eval("svg.graph .graph-edge", (e) => e.map((x) => `${x.dataset.from} ${x.dataset.kind} ${x.dataset.to}: ${x.textContent}`));
    check(edges.length === seed.edges.length, `${edges.length} edges drawn, ${seed.edges.length} in the graph`);
    for (const want of ["service:app01 access x-sqs:jobs: access: SendOnly", "x-sqs:jobs redrive x-sqs:jobs-dlq: redrive: after 5 receives",
      "service:app01 network service:app02: network: 5000/tcp", "x-elbv2:public-alb target service:app01: target: 5000/HTTP"]) {
      check(edges.includes(want), `no edge "${want}" in ${edges.join(" | ")}`);
    }
    // Coloured by kind.
    const fills = await page.$$eval("svg.graph .graph-node", (n) => Object.fromEntries(n.map((x) => [x.dataset.kind, x.querySelector("rect").getAttribute("fill")])));
    check(fills.service !== fills["x-resource"] && fills.service !== fills["load-balancer"], JSON.stringify(fills));
    await page.screenshot({ path: join(root, "target/screenshots/graph.png") });
  });

  await step("clicking a node selects its compose lines and lists its resources", async () => {
    await page.click('svg.graph .graph-node[data-id="service:app01"]');
    const app01 = seed.nodes.find((n) => n.id === "service:app01");
    const selected = await page.evaluate(() => getSelection().toString());
    check(selected.startsWith("app01:") && selected.includes("x-scaling:") && !selected.includes("app02:"), `selection ${JSON.stringify(selected.slice(0, 80))}`);
    const lines = await linesWith(page, "#editor", "cm-source-line");
    check(lines[0] === "  app01:", `first highlighted line ${JSON.stringify(lines[0])}`);
    check(lines.length === app01.end_line - app01.line + 1, `${lines.length} lines highlighted, the node spans ${app01.line}-${app01.end_line}`);
    const listed = await page.$$eval("#graph-details button", (b) => b.map((x) => `${x.dataset.file}#${x.dataset.id}`));
    check(listed.length === app01.resources.length && listed.includes("app01.yaml#SecurityGroup") && listed.includes("app01.yaml#TaskDefinition"), `listed ${listed}`);
  });

  await step("clicking a listed resource opens its template on it and highlights its compose span", async () => {
    await page.click('#graph-details button[data-file="app01.yaml"][data-id="SecurityGroup"]');
    const tab = await page.$eval("#output-tabs [aria-selected=true]", (t) => t.dataset.path);
    check(tab === "app01.yaml", `tab ${tab}`);
    check(await page.isVisible("#viewer") && !(await page.isVisible("#graph-view")), "the viewer is not on show");
    const lines = await linesWith(page, "#viewer", "cm-source-line");
    check(lines[0] === "  SecurityGroup:" && lines.length >= 4, `viewer lines ${JSON.stringify(lines)}`);
    const marks = await page.$$eval("#editor .cm-source-highlight", (m) => m.map((x) => x.textContent).join(""));
    check(marks === "app01", `compose highlight ${JSON.stringify(marks)}`);
    check((await page.textContent("#source-origin")).includes("SecurityGroup ← docker-compose.yml:13:3"), await page.textContent("#source-origin"));
  });

  await step("clicking a resource in a template tab highlights the compose span it came from", async () => {
    await page.click('#output-tabs [data-path="sqs.yaml"]');
    await clickLine(page, "#viewer", "  Jobs:");
    const marks = await page.$$eval("#editor .cm-source-highlight", (m) => m.map((x) => x.textContent).join("\n"));
    check(marks.startsWith("jobs:") && marks.includes("RedrivePolicy") && marks.includes("SendOnly") && !marks.includes("jobs-dlq:"), `compose highlight ${JSON.stringify(marks)}`);
    await clickLine(page, "#viewer", "  JobsDlq:");
    const dlq = await page.$$eval("#editor .cm-source-highlight", (m) => m.map((x) => x.textContent).join("\n"));
    check(dlq.startsWith("jobs-dlq:") && dlq.includes("MessageRetentionPeriod") && !dlq.includes("RedrivePolicy"), `compose highlight ${JSON.stringify(dlq)}`);
  });

  await step("the cursor on a compose line highlights the resources it produced", async () => {
    await clickLine(page, "#editor", "  jobs:");
    const lines = await linesWith(page, "#viewer", "cm-source-line");
    check(lines[0] === "  Jobs:" && !lines.includes("  JobsDlq:"), `viewer lines ${JSON.stringify(lines)}`);
    const produced = await page.$eval("#source-origin", (p) => p.dataset.produced);
    check(produced.split(" ").includes("sqs.yaml#Jobs") && !produced.includes("JobsDlq"), `produced ${produced}`);
  });

  await step("an edit shows what changed in the Changes view (by resource, not by text)", async () => {
    await clickLine(page, "#editor", "      VisibilityTimeout: 60");
    await page.keyboard.press("End");
    await page.keyboard.press("Backspace");
    await page.keyboard.press("Backspace");
    await page.keyboard.type("90");
    await idle(page);
    check((await page.textContent("#changes-tab")) === "Changes (1)", await page.textContent("#changes-tab"));
    await page.click("#changes-tab");
    const changes = await page.$$eval("#changes-view .change", (c) => c.map((x) => ({ path: x.dataset.path, status: x.dataset.status,
      entries: [...x.querySelectorAll("li")].map((l) => `${l.dataset.status} ${l.dataset.name}`) })));
    check(JSON.stringify(changes) === JSON.stringify([{ path: "sqs.yaml", status: "changed", entries: ["changed Resources/Jobs"] }]), JSON.stringify(changes));
    await page.click('#changes-view li[data-name="Resources/Jobs"] button');
    const lines = await linesWith(page, "#viewer", "cm-source-line");
    check(lines[0] === "  Jobs:" && lines.some((l) => l.includes("VisibilityTimeout: 90")), `viewer lines ${JSON.stringify(lines)}`);
  });

  await step("an edit that only moves lines keeps the drawing; a click selects the node's new lines", async () => {
    await page.click("#graph-tab");
    await page.waitForSelector("svg.graph .graph-node");
    await page.$eval("svg.graph", (g) => { g.dataset.e2e = "drawn before the edit"; });
    await page.click("#editor .cm-content");
    await page.keyboard.press("Control+Home");
    const comment = "# e2e: every node moves one line down\n";
    await page.keyboard.insertText(comment);
    await idle(page);
    check((await page.$eval("svg.graph", (g) => g.dataset.e2e)) === "drawn before the edit", "the graph was drawn again for an edit that changed none of it");
    await page.click('svg.graph .graph-node[data-id="service:app01"]');
    const app01 = seed.nodes.find((n) => n.id === "service:app01");
    const lines = await linesWith(page, "#editor", "cm-source-line");
    check(lines[0] === "  app01:" && lines.length === app01.end_line - app01.line + 1, `highlighted ${JSON.stringify(lines.slice(0, 2))}, ${lines.length} lines`);
    const where = await page.textContent("#graph-details .where");
    check(where === `docker-compose.yml:${app01.line + 1}:${app01.column}`, `details say ${where}, the node is now at line ${app01.line + 1}`);
    await page.click("#editor .cm-content");
    await page.keyboard.press("Control+Home");
    for (let i = 0; i < comment.length; i++) await page.keyboard.press("Delete");
    await idle(page);
  });

  await step("the mermaid package parses and draws `composex graph --format mermaid` of every example", async () => {
    const mermaid = await context.newPage();
    await mermaid.setContent("<!doctype html><html><body></body></html>");
    await mermaid.addScriptTag({ path: mermaidScript });
    await mermaid.evaluate(() => window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict" }));
    check(examples.length >= 5, `${examples.length} examples`);
    for (const file of examples) {
      const text = graphOf(file, "mermaid");
      const nodes = graphOf(file).nodes.length;
      const result = await mermaid.evaluate(async (t) => {
        try {
          const parsed = await window.mermaid.parse(t);
          const { svg } = await window.mermaid.render(`g${Math.random().toString(36).slice(2)}`, t);
          const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
          return { type: parsed.diagramType, nodes: doc.querySelectorAll("g.node").length };
        } catch (e) {
          return { error: String(e?.message ?? e) };
        }
      }, text);
      check(!result.error, `${file}: ${result.error}\n${text}`);
      check(result.nodes === nodes, `${file}: mermaid drew ${result.nodes} nodes, the graph has ${nodes}`);
    }
    await mermaid.close();
  });

  await step("a docs embed with data-graph shows the snippet's graph", async () => {
    const embed = await context.newPage();
    await embed.goto(`${origin}/embed.html`);
    await embed.waitForSelector("html[data-composex-embeds]", { state: "attached", timeout: 20_000 });
    await embed.click(".composex-embed >> nth=0 >> .composex-graph-tab");
    await embed.waitForSelector(".composex-embed >> nth=0 >> svg.graph .graph-node");
    const ids = await embed.$$eval(".composex-embed:first-of-type svg.graph .graph-node", (n) => n.map((x) => x.dataset.id));
    check(ids.includes("service:web") && ids.includes("load-balancer:project"), `embed graph nodes ${ids}`);
    check(!(await embed.$(".composex-embed >> nth=1 >> .composex-graph-tab")), "an embed without data-graph has a Graph tab");
    await embed.close();
  });

  await step("no request left 127.0.0.1, no console error", async () => {
    const outside = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith("blob:") && !u.startsWith("data:") && u !== "about:blank");
    check(outside.length === 0, `requests elsewhere: ${outside}`);
    check(problems.length === 0, problems.join("\n"));
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
