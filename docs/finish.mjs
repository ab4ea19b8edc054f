// Last step of `make docs`, over the HTML mdBook wrote (web/dist/docs):
// - a page with live examples (`<pre class="composex">`, from ```compose blocks) loads the
//   playground's embed script and stylesheet, which `make web` puts one folder up (web/dist);
// - every page gets a Content-Security-Policy like the playground's: scripts from this origin
//   only (plus the sha256 of each inline script mdBook writes, and 'wasm-unsafe-eval' for the
//   embed), no request to another origin.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const dir = process.argv[2];
if (!dir) throw new Error("usage: node docs/finish.mjs web/dist/docs");

function htmlFiles(d) {
  return readdirSync(d).flatMap((entry) => {
    const path = join(d, entry);
    if (statSync(path).isDirectory()) return htmlFiles(path);
    return entry.endsWith(".html") ? [path] : [];
  });
}

const hash = (text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
const unique = (items) => [...new Set(items)];

let pages = 0;
let live = 0;
for (const file of htmlFiles(dir)) {
  let html = readFileSync(file, "utf8");
  if (html.includes('http-equiv="Content-Security-Policy"')) throw new Error(`${file}: already finished`);
  const depth = relative(dir, file).split(sep).length - 1;
  const site = "../".repeat(depth + 1); // web/dist, where the playground and embed.js are
  if (html.includes('<pre class="composex" data-project=')) {
    html = html.replace("</head>",
      `    <link rel="stylesheet" href="${site}embed.css">\n    <script type="module" src="${site}embed.js"></script>\n    </head>`);
    live++;
  }
  // A page without an icon (toc.html, the sidebar's frame) would make Chromium ask for
  // /favicon.ico, which the site does not have.
  if (!html.includes('rel="icon"')) html = html.replace("</head>", '    <link rel="icon" href="data:,">\n    </head>');
  const scripts = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => hash(m[1]));
  const styles = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => hash(m[1]));
  const styleAttributes = [...html.matchAll(/\sstyle="([^"]*)"/g)].map((m) => hash(m[1]));
  const policy = [
    "default-src 'none'",
    `script-src 'self' 'wasm-unsafe-eval' ${unique(scripts).join(" ")}`.trim(),
    `style-src 'self'${styleAttributes.length ? " 'unsafe-hashes'" : ""} ${unique([...styles, ...styleAttributes]).join(" ")}`.trim(),
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-src 'self'",
    "base-uri 'self'",
    "form-action 'none'",
  ].join("; ");
  html = html.replace(/<head>/, `<head>\n        <meta http-equiv="Content-Security-Policy" content="${policy}">`);
  writeFileSync(file, html);
  pages++;
}
console.log(`docs: ${pages} pages finished (${live} with live examples)`);
