// The playground page: input tabs, env and options in; diagnostics and generated files out.
// Rendering happens in a worker (worker.ts); this file owns the DOM and the state.
import { setDiagnostics } from "@codemirror/lint";
import { EditorSelection, EditorState } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import examples from "virtual:examples";
import { assistExtensions, loadAssistSchema } from "./assist";
import { inputExtensions, offsetOf, outputExtensions, toLint } from "./editor";
import { decodeFragment, encodeFragment } from "./share";
import { sourceHighlight } from "./sourcemap";
import { Views } from "./views";
import type { Diagnostic, Input, Options, Output, OutputFile, SchemaMessage, SourceFile, WorkerReply } from "./types";
import { zip } from "./zip";

/** What the page persists and shares: the inputs, never the outputs. */
interface State {
  files: SourceFile[];
  /** Files the compose files name (env_file, include, extends.file), named by their path
   *  relative to the first compose file. Absent in states saved before they existed. */
  extraFiles?: SourceFile[];
  env: string;
  options: Options;
}

const STORAGE_KEY = "composex-playground:v1";
const DEBOUNCE_MS = 150;
const DEFAULT_OPTIONS: Options = { projectName: "composex", format: "yaml", layout: "nested" };

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const el = {
  version: $<HTMLElement>("version"),
  examples: $<HTMLSelectElement>("examples"),
  reset: $<HTMLButtonElement>("reset"),
  share: $<HTMLButtonElement>("share"),
  shareUrl: $<HTMLInputElement>("share-url"),
  status: $<HTMLElement>("status"),
  inputTabs: $<HTMLElement>("input-tabs"),
  addFile: $<HTMLButtonElement>("add-file"),
  addExtra: $<HTMLButtonElement>("add-extra"),
  profiles: $<HTMLInputElement>("profiles"),
  profileNames: $<HTMLDataListElement>("profile-names"),
  removeFile: $<HTMLButtonElement>("remove-file"),
  fileName: $<HTMLInputElement>("file-name"),
  cursor: $<HTMLElement>("cursor"),
  editor: $<HTMLElement>("editor"),
  env: $<HTMLTextAreaElement>("env"),
  projectName: $<HTMLInputElement>("project-name"),
  format: $<HTMLSelectElement>("format"),
  layout: $<HTMLSelectElement>("layout"),
  outputTabs: $<HTMLElement>("output-tabs"),
  viewer: $<HTMLElement>("viewer"),
  outputNote: $<HTMLElement>("output-note"),
  copy: $<HTMLButtonElement>("copy"),
  download: $<HTMLButtonElement>("download"),
  downloadAll: $<HTMLButtonElement>("download-all"),
  outputs: document.querySelector<HTMLElement>("section.outputs") as HTMLElement,
  staleNote: $<HTMLElement>("stale-note"),
  staleText: $<HTMLElement>("stale-text"),
  firstProblem: $<HTMLButtonElement>("first-problem"),
  exampleAbout: $<HTMLElement>("example-about"),
  problemCount: $<HTMLElement>("problem-count"),
  problemList: $<HTMLElement>("problem-list"),
};

// ---- input state -------------------------------------------------------------------------

/** One EditorState per input file; the view shows the active one. The first `composeCount`
 *  are compose files (merge order), the rest named files (env files, included files...). */
let inputStates: EditorState[] = [];
let fileNames: string[] = [];
let composeCount = 0;
let active = 0;
const editor = new EditorView({ parent: el.editor });

function defaultState(): State {
  const example = examples.find((e) => e.name === "seed") ?? examples[0];
  const files = example ? example.files.map((f) => ({ ...f })) : [{ name: "docker-compose.yml", text: "services: {}\n" }];
  return { files, extraFiles: [], env: "", options: { ...DEFAULT_OPTIONS } };
}

function newInputState(text: string): EditorState {
  return EditorState.create({ doc: text, extensions: [inputExtensions(onEdit), cursorReadout, sourceHighlight, assistExtensions()] });
}

/** "Ln 3, Col 7" under the editor (UTF-16 columns, like the diagnostics' column_utf16). */
const cursorReadout = EditorView.updateListener.of((update) => {
  if (update.selectionSet || update.docChanged || update.focusChanged) showCursor(update.state);
  if (update.selectionSet) views?.inputUpdate(update.state);
});

function showCursor(state: EditorState) {
  const head = state.selection.main.head;
  const line = state.doc.lineAt(head);
  el.cursor.textContent = `Ln ${line.number}, Col ${head - line.from + 1}`;
}

function currentState(): State {
  inputStates[active] = editor.state;
  const all = inputStates.map((s, i) => ({ name: fileNames[i], text: s.doc.toString() }));
  return {
    files: all.slice(0, composeCount),
    extraFiles: all.slice(composeCount),
    env: el.env.value,
    options: {
      projectName: el.projectName.value.trim() || DEFAULT_OPTIONS.projectName,
      format: el.format.value === "json" ? "json" : "yaml",
      layout: el.layout.value === "single" ? "single" : "nested",
      profiles: parseProfiles(el.profiles.value),
    },
  };
}

function loadState(state: State) {
  const files = state.files.length > 0 ? state.files : defaultState().files;
  const all = [...files, ...(state.extraFiles ?? [])];
  inputStates = all.map((f) => newInputState(f.text));
  fileNames = all.map((f) => f.name);
  composeCount = files.length;
  active = 0;
  editor.setState(inputStates[0]);
  el.env.value = state.env;
  el.projectName.value = state.options.projectName;
  el.format.value = state.options.format;
  el.layout.value = state.options.layout;
  el.profiles.value = (state.options.profiles ?? []).join(", ");
  drawInputTabs();
}

/** The profiles field: comma-separated names, blanks dropped. */
export function parseProfiles(text: string): string[] {
  return text.split(",").map((p) => p.trim()).filter((p) => p.length > 0);
}

/** Profile names written in the compose files (`profiles: [a, b]` or a block list), offered
 *  as suggestions in the profiles field. A light scan, not a YAML parser: it only suggests. */
export function profileNames(texts: string[]): string[] {
  const names = new Set<string>();
  const unquote = (t: string) => t.trim().replace(/^["']|["']$/g, "");
  for (const text of texts) {
    const lines = text.split("\n");
    lines.forEach((line, i) => {
      const m = /^\s*profiles:\s*(.*)$/.exec(line);
      if (!m) return;
      const rest = m[1].trim();
      if (rest.startsWith("[")) {
        for (const n of rest.replace(/[[\]]/g, "").split(",")) if (unquote(n)) names.add(unquote(n));
        return;
      }
      for (let j = i + 1; j < lines.length; j++) {
        const item = /^\s*-\s*(.+?)\s*$/.exec(lines[j]);
        if (!item) break;
        names.add(unquote(item[1]));
      }
    });
  }
  return [...names].sort();
}

function drawProfileNames(files: SourceFile[]) {
  el.profileNames.replaceChildren(
    ...["*", ...profileNames(files.map((f) => f.text))].map((name) => {
      const option = document.createElement("option");
      option.value = name;
      return option;
    }),
  );
}

/** Parses the env panel: `KEY=VALUE` per line; blank lines and `#` comments are skipped. */
export function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    env[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return env;
}

function tabButton(label: string, selected: boolean, controls: string, onSelect: () => void): HTMLButtonElement {
  const button = document.createElement("button");
  button.type = "button";
  button.setAttribute("role", "tab");
  button.setAttribute("aria-selected", String(selected));
  button.setAttribute("aria-controls", controls);
  button.textContent = label;
  button.addEventListener("click", onSelect);
  return button;
}

function drawInputTabs() {
  el.inputTabs.replaceChildren(
    ...fileNames.map((name, i) => {
      const tab = tabButton(name, i === active, "editor", () => selectInput(i));
      tab.dataset.index = String(i);
      if (i >= composeCount) {
        tab.classList.add("extra");
        tab.title = "a named file (env_file, include, extends.file), by its path relative to the first compose file";
      }
      return tab;
    }),
  );
  el.fileName.value = fileNames[active] ?? "";
  el.fileName.removeAttribute("aria-invalid");
  el.removeFile.disabled = fileNames.length <= 1 || (active < composeCount && composeCount <= 1);
  el.fileName.setAttribute("aria-label", `Name of file ${active + 1}`);
}

function selectInput(i: number) {
  if (i === active || i < 0 || i >= inputStates.length) return;
  inputStates[active] = editor.state;
  active = i;
  editor.setState(inputStates[i]);
  showCursor(editor.state);
  drawInputTabs();
}

// ---- rendering through the worker ---------------------------------------------------------

const worker = new Worker(new URL("worker.js", import.meta.url), { type: "module" });
let workerReady = false;
let sentSeq = 0; // newest request made
let edits = 0; // inputs changed this many times
let sentEdits = -1; // the value of `edits` the newest request was made from
let busy = false; // a request is in the worker
let queued = false; // an edit arrived while busy
let debounce: number | undefined;
/** The files on show: the newest output, or while the input has errors the last good one (stale). */
let lastOutput: Output = { files: [], diagnostics: [] };
/** The newest output that had files, kept to show (dimmed) while the input has errors. */
let lastGood: Output | undefined;
/** The first error of the newest output, the stale note's jump target. */
let firstError: Diagnostic | undefined;

function setPhase(phase: "dirty" | "rendering" | "idle") {
  document.body.dataset.state = phase;
}

function onEdit() {
  edits += 1;
  setPhase("dirty");
  clearHash();
  window.clearTimeout(debounce);
  debounce = window.setTimeout(requestRender, DEBOUNCE_MS);
}

let loaded = false; // the first state is in the editors (until then there is nothing to render or save)

function requestRender() {
  if (!workerReady || !loaded) return;
  if (busy) {
    queued = true;
    return;
  }
  const state = currentState();
  localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
  drawProfileNames([...state.files, ...(state.extraFiles ?? [])]);
  const extra: Record<string, SourceFile> = {};
  for (const f of state.extraFiles ?? []) extra[f.name] = f;
  const input: Input = { files: state.files, env: parseEnv(state.env), options: state.options, extra_files: extra };
  busy = true;
  sentSeq += 1;
  sentEdits = edits;
  setPhase("rendering");
  worker.postMessage({ seq: sentSeq, input });
}

worker.onmessage = (event: MessageEvent<WorkerReply>) => {
  const reply = event.data;
  if (reply.kind === "ready") {
    workerReady = true;
    el.version.textContent = `v${reply.version}`;
    requestRender();
    return;
  }
  if (reply.kind === "schema") {
    if (reply.error) el.status.textContent = `the schema table did not load: ${reply.error}`;
    else document.body.dataset.schema = "loaded";
    requestRender(); // now with the Properties checks
    return;
  }
  busy = false;
  if (!schemaRequested) {
    // The first output is painted: now fetch the schema table (kept out of the wasm module).
    schemaRequested = true;
    requestAnimationFrame(() => window.setTimeout(loadSchemaTable, 0));
  }
  if (queued) {
    // Inputs changed while this one ran: its answer is already stale, so render again.
    queued = false;
    requestRender();
    return;
  }
  // Stale: a newer request exists, or the inputs changed since this one was sent (a render of
  // the new text is already scheduled). Showing it would put marks at the wrong places.
  if (reply.seq !== sentSeq || sentEdits !== edits) return;
  if (reply.kind === "failed") {
    el.status.textContent = `internal error: ${reply.message}`;
    showOutput({ files: [], diagnostics: [] });
  } else {
    const output = JSON.parse(reply.json) as Output;
    showOutput(output);
    const errors = output.diagnostics.filter((d) => d.severity === "error").length;
    el.status.textContent = errors
      ? `${errors} error${errors === 1 ? "" : "s"}`
      : `${output.files.length} files in ${reply.millis.toFixed(1)} ms`;
  }
  if (document.body.dataset.state === "rendering") setPhase("idle");
  document.body.dataset.ready = "";
};

let schemaRequested = false;

/** Fetches the CloudFormation schema table once, while the page loads (so it keeps working
 *  offline), and hands it to both workers. Until it arrives the Properties checks, completion and
 *  hover that need it stay silent. */
async function loadSchemaTable() {
  document.body.dataset.schema = "loading";
  try {
    const response = await fetch(new URL("pkg/composex_schema.json", import.meta.url));
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const text = await response.text();
    loadAssistSchema(text);
    worker.postMessage({ schema: text } satisfies SchemaMessage);
  } catch (error) {
    document.body.dataset.schema = "failed";
    el.status.textContent = `the schema table did not load (${String(error)}): Properties values are not checked`;
  }
}

worker.onerror = (event) => {
  el.status.textContent = `the render worker failed to start: ${event.message}`;
};

// ---- diagnostics ---------------------------------------------------------------------------

/** Index of the input tab a diagnostic points into, or -1 when it has no place. Spans count
 *  the compose files, then the named files in the core's key order (byte order of the names). */
function fileOf(d: Diagnostic): number {
  if (d.span && d.span.file < composeCount) return d.span.file;
  if (d.span) {
    const extra = fileNames.slice(composeCount);
    const name = [...extra].sort()[d.span.file - composeCount];
    if (name !== undefined) return composeCount + extra.indexOf(name);
  }
  return d.location ? fileNames.indexOf(d.location.file) : -1;
}

/** The path a "file not found" diagnostic names (CX260 messages end "`path` not found"). */
function missingPath(d: Diagnostic): string | undefined {
  if (d.code !== "CX260") return undefined;
  return /`([^`]+)` not found$/.exec(d.message)?.[1];
}

/** In the problems list's order: by input tab, then line and column. */
function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fa = fileOf(a), fb = fileOf(b);
    if (fa !== fb) return fa - fb;
    return (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0);
  });
}

function showDiagnostics(diagnostics: Diagnostic[]) {
  inputStates[active] = editor.state;
  inputStates = inputStates.map((state, i) => {
    const mine = diagnostics.filter((d) => fileOf(d) === i && d.location).map((d) => toLint(state.doc, d));
    return i === active ? state : state.update(setDiagnostics(state, mine)).state;
  });
  const mine = diagnostics.filter((d) => fileOf(d) === active && d.location).map((d) => toLint(editor.state.doc, d));
  editor.dispatch(setDiagnostics(editor.state, mine));
  inputStates[active] = editor.state;

  const sorted = sortDiagnostics(diagnostics);
  el.problemCount.textContent = String(diagnostics.length);
  if (sorted.length === 0) {
    const li = document.createElement("li");
    li.className = "empty";
    li.textContent = "No problems.";
    el.problemList.replaceChildren(li);
    return;
  }
  el.problemList.replaceChildren(
    ...sorted.map((d) => {
      const li = document.createElement("li");
      li.dataset.severity = d.severity;
      const button = document.createElement("button");
      button.type = "button";
      const where = d.location ? `${d.location.file}:${d.location.line}:${d.location.column}` : "(input)";
      const severity = document.createElement("span");
      severity.className = `severity ${d.severity}`;
      severity.textContent = d.severity;
      const code = document.createElement("span");
      code.className = "code";
      code.textContent = d.code;
      const text = document.createElement("span");
      text.className = "message";
      text.textContent = d.message;
      const place = document.createElement("span");
      place.className = "where";
      place.textContent = where;
      button.append(severity, code, text, place);
      if (d.help) {
        const help = document.createElement("span");
        help.className = "help";
        help.textContent = `help: ${d.help}`;
        button.append(help);
      }
      button.addEventListener("click", () => jumpTo(d));
      li.append(button);
      const missing = missingPath(d);
      if (missing !== undefined && !fileNames.includes(missing)) {
        const create = document.createElement("button");
        create.type = "button";
        create.className = "create";
        create.textContent = `Create ${missing}`;
        create.addEventListener("click", () => addNamedFile(missing, /\.ya?ml$/.test(missing) ? "services:\n" : ""));
        li.append(create);
      }
      return li;
    }),
  );
}

function jumpTo(d: Diagnostic) {
  const file = fileOf(d);
  if (file < 0 || !d.location) return;
  selectInput(file);
  const at = offsetOf(editor.state.doc, d.location.line, d.location.column_utf16);
  editor.dispatch({ selection: EditorSelection.cursor(at), effects: EditorView.scrollIntoView(at, { y: "center" }) });
  editor.focus();
}

// ---- output --------------------------------------------------------------------------------

let selectedPath = "";
/** The path and text the viewer's state was made from (undefined: not made yet). */
let viewerPath: string | undefined;
let viewerText: string | undefined;
const viewer = new EditorView({ parent: el.viewer });
/** The cursor in a template highlights where its definition came from (views.ts). */
const viewerOrigin = EditorView.updateListener.of((update) => views?.viewerUpdate(update));
const views: Views | undefined = new Views({
  editor,
  viewer,
  fileNames: () => fileNames,
  active: () => active,
  selectInput,
  selectOutput: (path) => {
    selectedPath = path;
    drawOutputTabs();
  },
  selectedPath: () => selectedPath,
});

function showOutput(output: Output) {
  showDiagnostics(output.diagnostics);
  const errors = output.diagnostics.filter((d) => d.severity === "error");
  firstError = sortDiagnostics(errors)[0];
  if (output.files.length > 0) lastGood = output;
  // While the input has errors, keep the last good files in sight, dimmed and marked stale.
  const stale = errors.length > 0 && output.files.length === 0 && lastGood !== undefined;
  lastOutput = stale && lastGood ? lastGood : output;
  const paths = lastOutput.files.map((f) => f.path);
  if (!paths.includes(selectedPath)) {
    // Start on the root template: the file that ties the others together.
    const options = currentState().options;
    const root = `${options.projectName}.${options.format}`;
    selectedPath = paths.includes(root) ? root : (paths[0] ?? "");
  }
  drawOutputTabs();
  const has = lastOutput.files.length > 0;
  el.copy.disabled = el.download.disabled = el.downloadAll.disabled = !has || stale;
  const why = stale ? " (disabled: these files are stale; fix the errors first)" : "";
  el.copy.title = `Copy this file to the clipboard${why}`;
  el.download.title = `Download this file${why}`;
  el.downloadAll.title = `Download every generated file as one .zip${why}`;
  el.viewer.hidden = !has;
  views?.showOutput(lastOutput, stale);
  el.outputNote.hidden = has;
  el.outputNote.textContent = errors.length > 0 ? "No templates while the input has errors (see Problems)." : "Nothing generated.";
  el.staleNote.hidden = !stale;
  if (stale) {
    el.outputs.dataset.stale = "";
    el.staleText.textContent =
      `Stale: the input has ${errors.length} error${errors.length === 1 ? "" : "s"}; these are the files of the last input without errors.`;
  } else {
    delete el.outputs.dataset.stale;
  }
}

el.firstProblem.addEventListener("click", () => {
  if (firstError) jumpTo(firstError);
});

function drawOutputTabs() {
  // A keystroke seldom changes which files are generated: keep the tabs (hundreds for a big
  // project, each a layout to redo) and only move the selection.
  const tabs = [...el.outputTabs.children] as HTMLElement[];
  const files = lastOutput.files;
  if (tabs.length === files.length && tabs.every((tab, i) => tab.dataset.path === files[i].path)) {
    for (const tab of tabs) tab.setAttribute("aria-selected", String(tab.dataset.path === selectedPath));
  } else {
    el.outputTabs.replaceChildren(...files.map(outputTab));
  }
  revealSelectedTab(el.outputTabs);
  const text = files.find((f) => f.path === selectedPath)?.text ?? "";
  if (selectedPath === viewerPath && text === viewerText) {
    // Most keystrokes leave the file on show as it was: keep the viewer (its scroll, selection
    // and parse) instead of a new state, which re-highlights the whole file and jumps to the top.
    views?.refreshOutputHighlight();
    return;
  }
  viewerPath = selectedPath;
  viewerText = text;
  viewer.setState(EditorState.create({ doc: text, extensions: [outputExtensions(selectedPath), sourceHighlight, viewerOrigin] }));
}

/** The tab of one generated file. */
function outputTab(f: OutputFile): HTMLButtonElement {
  const tab = tabButton(f.path, f.path === selectedPath, "viewer", () => {
    selectedPath = f.path;
    drawOutputTabs();
    views?.fileSelected();
  });
  tab.dataset.path = f.path;
  return tab;
}

/** Scrolls a one-row tab list sideways so its selected tab is in view (never the page itself). */
function revealSelectedTab(list: HTMLElement) {
  const tab = list.querySelector<HTMLElement>("[aria-selected=true]");
  if (!tab) return;
  const box = list.getBoundingClientRect();
  const at = tab.getBoundingClientRect();
  if (at.left < box.left) list.scrollLeft += at.left - box.left;
  else if (at.right > box.right) list.scrollLeft += at.right - box.right;
}

function saveBlob(name: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

el.copy.addEventListener("click", async () => {
  const file = lastOutput.files.find((f) => f.path === selectedPath);
  if (!file) return;
  try {
    await navigator.clipboard.writeText(file.text);
    el.status.textContent = `copied ${file.path}`;
  } catch {
    el.status.textContent = "the browser did not allow copying; select the text and copy it instead";
  }
});

el.download.addEventListener("click", () => {
  const file = lastOutput.files.find((f) => f.path === selectedPath);
  if (file) saveBlob(file.path, new Blob([file.text], { type: "text/plain;charset=utf-8" }));
});

el.downloadAll.addEventListener("click", () => {
  const name = `${el.projectName.value.trim() || DEFAULT_OPTIONS.projectName}.zip`;
  saveBlob(name, new Blob([zip(lastOutput.files)], { type: "application/zip" }));
});

// ---- file tabs, options, examples, reset, share ---------------------------------------------

el.addFile.addEventListener("click", () => {
  inputStates[active] = editor.state;
  let n = composeCount;
  let name = n === 1 ? "docker-compose.override.yml" : `override-${n}.yml`;
  while (fileNames.includes(name)) name = `override-${++n}.yml`;
  // Overrides go after the compose files, before the named files.
  const at = composeCount;
  fileNames.splice(at, 0, name);
  inputStates.splice(at, 0, newInputState("services:\n"));
  composeCount += 1;
  if (active >= at) active += 1;
  selectInput(at);
  onEdit();
  editor.focus();
});

/** Adds a named file (a tab after the compose files) and shows it. */
function addNamedFile(name: string, text: string) {
  inputStates[active] = editor.state;
  fileNames.push(name);
  inputStates.push(newInputState(text));
  selectInput(fileNames.length - 1);
  onEdit();
}

el.addExtra.addEventListener("click", () => {
  let n = 1;
  let name = "app.env";
  while (fileNames.includes(name)) name = `app-${++n}.env`;
  addNamedFile(name, "KEY=value\n");
  // The name is the path the compose files use: let the user type it straight away.
  el.fileName.focus();
  el.fileName.select();
});

el.removeFile.addEventListener("click", () => {
  if (el.removeFile.disabled) return;
  inputStates[active] = editor.state;
  inputStates.splice(active, 1);
  fileNames.splice(active, 1);
  if (active < composeCount) composeCount -= 1;
  active = Math.max(0, active - 1);
  editor.setState(inputStates[active]);
  drawInputTabs();
  onEdit();
});

el.fileName.addEventListener("input", () => {
  const name = el.fileName.value.trim();
  if (!name) return;
  // Named files are keyed by name: two files with one name would hide one of them.
  if (fileNames.some((n, i) => n === name && i !== active)) {
    el.fileName.setAttribute("aria-invalid", "true");
    return;
  }
  el.fileName.removeAttribute("aria-invalid");
  fileNames[active] = name;
  const tab = el.inputTabs.querySelector<HTMLElement>(`[data-index="${active}"]`);
  if (tab) tab.textContent = name;
  onEdit();
});

for (const control of [el.env, el.projectName, el.format, el.layout, el.profiles]) control.addEventListener("input", onEdit);

for (const example of examples) {
  const option = document.createElement("option");
  option.value = example.name;
  option.textContent = example.name;
  option.title = example.description;
  el.examples.append(option);
}

/** The selected example's one-line description next to the menu (empty for edited input). */
function showExampleAbout() {
  el.exampleAbout.textContent = examples.find((e) => e.name === el.examples.value)?.description ?? "";
}
el.examples.addEventListener("change", () => {
  const example = examples.find((e) => e.name === el.examples.value);
  if (!example) return;
  const state = currentState();
  loadState({ ...state, files: example.files.map((f) => ({ ...f })), extraFiles: [] });
  showExampleAbout();
  onEdit();
});

el.reset.addEventListener("click", () => {
  localStorage.removeItem(STORAGE_KEY);
  loadState(defaultState());
  el.examples.value = examples.find((e) => e.name === "seed") ? "seed" : (examples[0]?.name ?? "");
  showExampleAbout();
  onEdit();
});

el.share.addEventListener("click", async () => {
  const fragment = await encodeFragment(currentState());
  const url = `${location.origin}${location.pathname}${fragment}`;
  el.shareUrl.value = url;
  el.shareUrl.hidden = false;
  el.shareUrl.select();
  try {
    await navigator.clipboard.writeText(url);
    el.status.textContent = "share link copied";
  } catch {
    el.status.textContent = "share link ready: copy it from the field";
  }
});

function clearHash() {
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
}

function isState(value: unknown): value is State {
  const s = value as State;
  return (
    !!s && Array.isArray(s.files) && s.files.every((f) => typeof f?.name === "string" && typeof f?.text === "string") &&
    typeof s.env === "string" && !!s.options && typeof s.options.projectName === "string" &&
    (s.extraFiles === undefined ||
      (Array.isArray(s.extraFiles) && s.extraFiles.every((f) => typeof f?.name === "string" && typeof f?.text === "string"))) &&
    (s.options.profiles === undefined || (Array.isArray(s.options.profiles) && s.options.profiles.every((p) => typeof p === "string")))
  );
}

async function initialState(): Promise<State> {
  const shared = await decodeFragment(location.hash);
  if (isState(shared)) return shared;
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null");
    if (isState(saved)) return saved;
  } catch {
    // A damaged saved state is ignored; the default example loads instead.
  }
  return defaultState();
}

initialState().then((state) => {
  loadState(state);
  loaded = true;
  const example = examples.find((e) => e.files.length === state.files.length && e.files.every((f, i) => f.text === state.files[i].text));
  el.examples.value = example?.name ?? "";
  showExampleAbout();
  setPhase("dirty");
  requestRender();
});
