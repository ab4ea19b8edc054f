// Live compose examples for docs sites. Include this module and its stylesheet once:
//
//   <link rel="stylesheet" href="/composex/embed.css">
//   <script type="module" src="/composex/embed.js"></script>
//
// (with /composex/pkg/ holding the wasm package next to embed.js), then write snippets as
//
//   <pre class="composex" data-project="demo">services: ...</pre>
//   <script type="text/x-compose" data-project="demo" data-format="json">services: ...</script>
//
// Each snippet becomes an editable source box followed by its rendered templates, one tab per
// file. Attributes: data-project (project name), data-format (yaml|json), data-layout
// (nested|single), data-file (file name shown in diagnostics), data-graph (adds a "Graph" tab: the
// snippet's resource graph, drawn as SVG), data-playground (the playground
// page that "Open in the playground" links to; index.html next to embed.js by default). Everything
// runs in the reader's browser; nothing is fetched but the wasm module.
import init, { loadSchema, render, renderWithGraph } from "./pkg/composex_wasm.js";
import { drawGraph } from "./graph";
import { encodeFragment } from "./share";
import type { Input, Output } from "./types";

const SELECTOR = 'pre.composex, script[type="text/x-compose"]';
let counter = 0;

function make<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Strips the common indentation of a snippet written indented inside HTML. */
function dedent(text: string): string {
  const lines = text.replace(/^\n+|\s+$/g, "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join("\n") + "\n";
}

function inputFor(source: HTMLElement, text: string): Input {
  const d = source.dataset;
  return {
    files: [{ name: d.file ?? "docker-compose.yml", text }],
    env: {},
    options: {
      projectName: d.project ?? "composex",
      format: d.format === "json" ? "json" : "yaml",
      layout: d.layout === "single" ? "single" : "nested",
    },
  };
}

function show(box: HTMLElement, output: Output, options: Input["options"]) {
  const id = box.id;
  const tabs = make("div", "composex-tabs");
  tabs.setAttribute("role", "tablist");
  tabs.setAttribute("aria-label", "Generated files");
  const view = make("pre", "composex-file");
  view.id = `${id}-file`;
  view.setAttribute("role", "tabpanel");
  view.tabIndex = 0;
  const graphView = make("div", "composex-graph");
  graphView.setAttribute("role", "tabpanel");
  graphView.hidden = true;
  const graph = output.graph;
  const offset = graph ? 1 : 0; // the Graph tab comes first
  const select = (i: number) => {
    tabs.querySelectorAll("button").forEach((b, j) => b.setAttribute("aria-selected", String(i + offset === j)));
    view.hidden = false;
    graphView.hidden = true;
    view.textContent = output.files[i]?.text ?? "";
  };
  if (graph && output.files.length) {
    const tab = make("button", "composex-tab composex-graph-tab", "Graph");
    tab.type = "button";
    tab.setAttribute("role", "tab");
    tab.addEventListener("click", () => {
      tabs.querySelectorAll("button").forEach((b) => b.setAttribute("aria-selected", String(b === tab)));
      view.hidden = true;
      graphView.hidden = false;
      drawGraph(graphView, graph, () => {});
    });
    tabs.append(tab);
  }
  output.files.forEach((file, i) => {
    const tab = make("button", "composex-tab", file.path);
    tab.type = "button";
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", view.id);
    tab.dataset.path = file.path;
    tab.addEventListener("click", () => select(i));
    tabs.append(tab);
  });
  const problems = make("ul", "composex-problems");
  for (const d of output.diagnostics) {
    const where = d.location ? `${d.location.line}:${d.location.column} ` : "";
    const li = make("li", `composex-${d.severity}`, `${where}${d.severity} ${d.code}: ${d.message}`);
    problems.append(li);
  }
  const result = box.querySelector(".composex-result")!;
  result.replaceChildren(...(output.diagnostics.length ? [problems] : []), ...(output.files.length ? [tabs, view, graphView] : []));
  if (output.files.length) {
    // Start on the root template: the file that ties the others together.
    const root = `${options.projectName}.${options.format}`;
    select(Math.max(0, output.files.findIndex((f) => f.path === root)));
  }
  box.dataset.files = String(output.files.length);
  box.dataset.errors = String(output.diagnostics.filter((d) => d.severity === "error").length);
}

function mount(source: HTMLElement) {
  const id = `composex-embed-${++counter}`;
  const box = make("div", "composex-embed");
  box.id = id;
  const label = make("label", "composex-label", "docker-compose.yml (editable)");
  const editor = make("textarea", "composex-source");
  editor.spellcheck = false;
  editor.value = dedent(source.textContent ?? "");
  editor.rows = Math.min(20, editor.value.split("\n").length);
  label.append(editor);
  const open = make("a", "composex-open", "Open in the playground");
  const playground = new URL(source.dataset.playground ?? "index.html", import.meta.url);
  open.href = playground.href;
  box.append(label, make("div", "composex-result"), open);
  source.after(box);
  if (source instanceof HTMLPreElement) source.hidden = true; // the editable copy replaces it
  let timer: number | undefined;
  const run = () => {
    const input = inputFor(source, editor.value);
    show(box, source.dataset.graph !== undefined ? renderWithGraph(input) : render(input), input.options);
    // The snippet travels in the link's fragment (the playground's share format), never sent.
    const state = { files: input.files, extraFiles: [], env: "", options: input.options };
    void encodeFragment(state).then((fragment) => {
      open.href = `${playground.origin}${playground.pathname}${fragment}`;
      box.dataset.linked = String(++linked);
    });
  };
  let linked = 0;
  editor.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 200);
  });
  run();
}

let schema: Promise<void> | undefined;

/** The CloudFormation schema table (pkg/composex_schema.json, next to the wasm module), loaded
 *  once. Without it the examples still render; only their Properties values go unchecked. */
function loadSchemaTable(): Promise<void> {
  schema ??= fetch(new URL("pkg/composex_schema.json", import.meta.url))
    .then((response) => (response.ok ? response.text() : Promise.reject(new Error(`HTTP ${response.status}`))))
    .then((text) => {
      const error = loadSchema(text);
      if (error) throw new Error(error);
    })
    .catch((error) => console.warn(`composex: the schema table did not load (${String(error)}): Properties values are not checked`));
  return schema;
}

/** Turns every compose snippet under `root` into a live example; resolves when all are rendered. */
export async function renderSnippets(root: ParentNode = document): Promise<number> {
  await init();
  await loadSchemaTable();
  const snippets = [...root.querySelectorAll<HTMLElement>(SELECTOR)].filter((s) => !s.dataset.composexMounted);
  for (const s of snippets) {
    s.dataset.composexMounted = "true";
    mount(s);
  }
  return snippets.length;
}

renderSnippets().then((n) => document.documentElement.setAttribute("data-composex-embeds", String(n)));
