// Browser test of the docs site (web/dist/docs, built by `make web`), in Debian's Chromium with
// playwright-core. Run by `make docs-test` (part of `make test`). Prints `N passed, M failed`.
//
// Every page is opened; on a page with live examples it waits until the embed has mounted them
// all, then checks each one shows what its page says (data-check / data-expect, the same rule
// as the Rust test docs/gen/tests/book.rs), with no error state. Each page must carry its
// Content-Security-Policy and break none of it; no request may leave the test's own server
// on 127.0.0.1.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { CHROMIUM_ARGS, check, chromium, counts, finish, root, startServer, step, watchedContext } from "./lib.mjs";

const dist = join(root, "web/dist");
const docs = join(dist, "docs");

function htmlFiles(dir) {
  return readdirSync(dir).sort().flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return htmlFiles(path);
    return entry.endsWith(".html") ? [path] : [];
  });
}

/** Whether one mounted example shows what its page says; null when it does, else why not. */
function judge(e) {
  if (!e.mounted) return "never mounted";
  const codes = [...new Set(e.codes.map((c) => c.code))].sort();
  const errors = e.codes.filter((c) => c.severity === "error").length;
  const expected = e.expect.split(" ").filter(Boolean).sort();
  let ok;
  switch (e.check) {
    case "exact": ok = JSON.stringify(codes) === JSON.stringify(expected) && (e.files > 0 || errors > 0); break;
    case "has": ok = codes.includes(e.expect); break;
    case "lacks": ok = !codes.includes(e.expect) && errors === 0 && e.files > 0; break;
    case "proves": ok = errors === 0 && e.files > 0; break;
    default: return `unknown check ${e.check}`;
  }
  if (e.files > 0 && e.tabs !== e.files) return `${e.files} files but ${e.tabs} tabs`;
  return ok ? null : `${e.check} ${e.expect}: shows ${e.files} file(s) and ${JSON.stringify(e.codes)}`;
}

const pages = htmlFiles(docs).map((p) => relative(dist, p));
const { server, origin } = await startServer(dist);
let browser;
try {
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
  const { context, requests, problems } = await watchedContext(browser);
  const page = await context.newPage();
  let examples = 0;

  await step(`the docs site has its pages (${pages.length})`, async () => {
    for (const needed of ["docs/index.html", "docs/cli.html", "docs/pipeline.html", "docs/compose/support.html",
      "docs/reference/index.html", "docs/modules/x-sqs.html", "docs/migration/docker-ecs.html"]) {
      check(pages.includes(needed), `no ${needed}`);
    }
  });

  for (const path of pages) {
    await step(path, async () => {
      const html = readFileSync(join(dist, path), "utf8");
      check(/<meta http-equiv="Content-Security-Policy" content="[^"]*script-src 'self'/.test(html), "no CSP meta");
      const expected = (html.match(/<pre class="composex" data-project=/g) ?? []).length;
      const before = problems.length;
      await page.goto(`${origin}/${path}`);
      if (expected > 0) {
        await page.waitForSelector(`html[data-composex-embeds="${expected}"]`, { state: "attached", timeout: 60_000 });
        const shown = await page.$$eval("pre.composex[data-check]", (pres) => pres.map((pre) => {
          const box = pre.nextElementSibling;
          if (!box?.classList.contains("composex-embed")) return { mounted: false };
          const codes = [...box.querySelectorAll(".composex-problems li")]
            .map((li) => li.textContent.match(/\b(error|warning|info) (CX\d+):/))
            .filter(Boolean).map((m) => ({ severity: m[1], code: m[2] }));
          return { mounted: true, check: pre.dataset.check, expect: pre.dataset.expect, codes,
            files: Number(box.dataset.files), tabs: box.querySelectorAll(".composex-tab").length };
        }));
        check(shown.length === expected, `${shown.length} of ${expected} examples`);
        const wrong = shown.map((e, i) => [i + 1, judge(e)]).filter(([, why]) => why);
        check(wrong.length === 0, wrong.map(([i, why]) => `example ${i}: ${why}`).join("\n"));
        examples += shown.length;
      } else {
        await page.waitForLoadState("load");
      }
      check(problems.length === before, problems.slice(before).join("\n"));
    });
  }

  await step("`composex explain CODE` and the reference pages say the same, code by code", async () => {
    const cli = join(root, "target/debug/composex");
    const list = execFileSync(cli, ["explain", "--list"], { encoding: "utf8" }).trim().split("\n").map((l) => l.split(/\s+/)[0]);
    check(list.length > 100, `${list.length} codes`);
    const decode = (t) => t.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
    const words = (t) => t.split(/\s+/).filter(Boolean).join(" ");
    const differ = [];
    for (const code of list) {
      const html = readFileSync(join(docs, "reference", `cx${code[2]}.html`), "utf8");
      const start = html.indexOf(`<h2 id="${code.toLowerCase()}">`);
      if (start < 0) { differ.push(`${code}: no entry`); continue; }
      const end = [html.indexOf("<h2 ", start + 1), html.indexOf("</main>", start)].filter((i) => i > 0).sort((a, b) => a - b)[0];
      const page = words(decode(html.slice(start, end).replace(/<\/?(code|a|em|strong|span)\b[^>]*>/g, "").replace(/<[^>]+>/g, " ")));
      const explained = words(execFileSync(cli, ["explain", code], { encoding: "utf8" }).replace(/`/g, ""));
      if (page !== `${code} ${explained}`) differ.push(`${code}:\n       page:    ${page.slice(0, 300)}\n       explain: ${explained.slice(0, 300)}`);
    }
    check(differ.length === 0, `${differ.length} of ${list.length} differ:\n${differ.slice(0, 5).join("\n")}`);
    console.log(`     (${list.length} codes)`);
  });

  await step("the CLI reference shows what `composex <command> --help` prints", async () => {
    const cli = join(root, "target/debug/composex");
    const html = readFileSync(join(docs, "cli.html"), "utf8");
    const decode = (t) => t.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
    const blocks = [...html.matchAll(/<pre><code[^>]*>([\s\S]*?)<\/code><\/pre>/g)].map((m) => decode(m[1]).trim());
    for (const command of [[], ["validate"], ["render"], ["set-image"], ["explain"], ["merge"]]) {
      const help = execFileSync(cli, [...command, "--help"], { encoding: "utf8" }).trim();
      check(blocks.includes(help), `composex ${command.join(" ")} --help is not on the page`);
    }
  });

  await step("a live example is editable: a mistake shows its diagnostic, the fix clears it", async () => {
    await page.goto(`${origin}/docs/index.html`);
    await page.waitForSelector('html[data-composex-embeds="1"]', { state: "attached" });
    const editor = page.locator(".composex-embed textarea").first();
    await editor.fill("services:\n  web:\n    image: nginx:1.27\n   ports: [\"80:80\"]\n");
    await page.waitForSelector('.composex-embed[data-errors="1"]', { state: "attached" });
    const shown = await page.locator(".composex-problems li").first().textContent();
    check(/error CX100/.test(shown), `shows ${shown}`);
    await editor.fill("services:\n  web:\n    image: nginx:1.27\n");
    await page.waitForSelector('.composex-embed[data-errors="0"]', { state: "attached" });
    check(Number(await page.locator(".composex-embed").first().getAttribute("data-files")) > 0, "no files after the fix");
  });

  await step(`every request stayed on ${origin}; no console error or CSP violation`, async () => {
    const outside = requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith("data:") && !url.startsWith("blob:"));
    check(outside.length === 0, `requests elsewhere: ${[...new Set(outside)].join(", ")}`);
    check(problems.length === 0, problems.join("\n"));
    console.log(`     (${pages.length} pages, ${examples} live examples, ${requests.length} requests)`);
  });
} catch (error) {
  counts.failed++;
  console.log(`FAIL setup: ${error?.stack ?? error}`);
} finally {
  if (browser) await browser.close();
  server.kill("SIGTERM");
}
finish();
