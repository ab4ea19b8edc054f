// The output pane's Graph and Changes views, and the links between the compose editor and the
// generated files through the source map: clicking a graph node selects its compose lines and
// lists its resources; the cursor in a template highlights the compose span its definition came
// from; the cursor on a compose line highlights the definitions it produced.
import { EditorSelection, EditorState } from "@codemirror/state";
import { EditorView, ViewUpdate } from "@codemirror/view";
import { diffOutputs, drawChanges, FileChange } from "./changes";
import { drawGraph, graphLayoutKey, nodeKind } from "./graph";
import { Definition, definitionAt, definitionLines, originOf, producedBy, rangeOf, setHighlight } from "./sourcemap";
import type { GraphNode, Output, OutputFile } from "./types";

/** What the page gives the views. */
export interface ViewHost {
  editor: EditorView;
  viewer: EditorView;
  /** Input tab names (compose files first) and the active tab. */
  fileNames: () => string[];
  active: () => number;
  selectInput: (index: number) => void;
  /** Shows output file `path` in the viewer (the file view). */
  selectOutput: (path: string) => void;
  selectedPath: () => string;
}

type View = "file" | "graph" | "changes";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export class Views {
  private view: View = "file";
  private output: Output = { files: [], diagnostics: [] };
  private previous: OutputFile[] | undefined;
  private changes: FileChange[] = [];
  /** The viewer's highlight shows what the compose cursor's line made (not an opened definition). */
  private viewerFollowsCursor = false;
  /** `graphLayoutKey` of the graph in the canvas (undefined: none drawn). */
  private drawnGraphKey: string | undefined;
  private readonly graphTab = $<HTMLButtonElement>("graph-tab");
  private readonly changesTab = $<HTMLButtonElement>("changes-tab");
  private readonly graphView = $<HTMLElement>("graph-view");
  private readonly graphCanvas = $<HTMLElement>("graph-canvas");
  private readonly graphDetails = $<HTMLElement>("graph-details");
  private readonly changesView = $<HTMLElement>("changes-view");
  private readonly viewerHost = $<HTMLElement>("viewer");
  private readonly origin = $<HTMLElement>("source-origin");

  constructor(private readonly host: ViewHost) {
    this.graphTab.addEventListener("click", () => this.show("graph"));
    this.changesTab.addEventListener("click", () => this.show("changes"));
  }

  /** A new output is on show (`stale`: the last good one, kept while the input has errors). */
  showOutput(output: Output, stale: boolean) {
    this.output = output;
    if (!stale && output.files.length > 0) {
      if (this.previous) {
        const changes = diffOutputs(this.previous, output.files);
        // An edit that changed nothing generated keeps the last list of changes.
        if (changes.length > 0) this.changes = changes;
      }
      this.previous = output.files;
    }
    this.changesTab.textContent = this.changes.length > 0 ? `Changes (${this.changes.length})` : "Changes";
    this.changesTab.dataset.count = String(this.changes.length);
    this.redraw();
  }

  /** The file view was chosen (an output file tab). */
  fileSelected() {
    this.show("file");
  }

  private show(view: View) {
    this.view = view;
    this.redraw();
  }

  private redraw() {
    const { view } = this;
    this.graphTab.setAttribute("aria-selected", String(view === "graph"));
    this.changesTab.setAttribute("aria-selected", String(view === "changes"));
    for (const tab of document.querySelectorAll<HTMLElement>("#output-tabs [role=tab]")) {
      if (view !== "file") tab.setAttribute("aria-selected", "false");
    }
    this.graphView.hidden = view !== "graph";
    this.changesView.hidden = view !== "changes";
    this.viewerHost.hidden = view !== "file" || this.output.files.length === 0;
    if (view === "graph") this.drawGraph();
    if (view === "changes") drawChanges(this.changesView, this.changes, (path, name) => this.openChange(path, name));
    document.body.dataset.view = view;
  }

  private drawGraph() {
    const graph = this.output.graph;
    if (!graph) {
      const p = document.createElement("p");
      p.className = "note";
      p.textContent = "No graph while the compose files cannot be read (see Problems).";
      this.graphCanvas.replaceChildren(p);
      this.drawnGraphKey = undefined;
      return;
    }
    // dagre's layout takes seconds for a hundred services, and most edits only move lines: keep
    // the drawing while its key holds (clicks look the node up in the newest graph).
    const key = graphLayoutKey(graph);
    if (key !== this.drawnGraphKey) {
      drawGraph(this.graphCanvas, graph, (node) => this.selectNode(this.newestNode(node)));
      this.drawnGraphKey = key;
    } else {
      // As a new drawing would be: no node selected.
      for (const node of this.graphCanvas.querySelectorAll(".graph-node.selected")) node.classList.remove("selected");
    }
    this.graphDetails.replaceChildren();
  }

  /** The node with `node`'s id in the output on show (its places may have moved since drawing). */
  private newestNode(node: GraphNode): GraphNode {
    return this.output.graph?.nodes.find((n) => n.id === node.id) ?? node;
  }

  /** A graph node was clicked: select its compose lines and list its resources. */
  private selectNode(node: GraphNode) {
    const title = document.createElement("h3");
    title.textContent = `${node.name} (${nodeKind(node)})`;
    const where = document.createElement("p");
    where.className = "where";
    where.textContent = node.file ? `${node.file}:${node.line}:${node.column}` : "not written in the compose files (composex adds it)";
    const list = document.createElement("ul");
    for (const r of node.resources) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.file = r.file;
      button.dataset.id = r.id;
      button.textContent = `${r.file} · ${r.id} (${r.type})`;
      button.addEventListener("click", () => this.openDefinition(r.file, { section: "resources", name: r.id }));
      li.append(button);
      list.append(li);
    }
    this.graphDetails.replaceChildren(title, where, list);
    if (node.line === undefined || !node.file) return;
    const tab = this.host.fileNames().indexOf(node.file);
    if (tab < 0) return;
    this.host.selectInput(tab);
    const editor = this.host.editor;
    const range = rangeOf(editor.state.doc, node as Required<GraphNode>);
    editor.dispatch({
      selection: EditorSelection.range(range.from, range.to),
      effects: [setHighlight.of([range]), EditorView.scrollIntoView(range.from, { y: "start" })],
    });
    editor.focus();
  }

  /** Opens output file `path` on definition `def`, highlighting its lines. */
  openDefinition(path: string, def: Definition) {
    this.host.selectOutput(path);
    this.show("file");
    const viewer = this.host.viewer;
    const lines = definitionLines(viewer.state.doc, path, def);
    if (!lines) return;
    const from = viewer.state.doc.line(lines[0]).from;
    const to = viewer.state.doc.line(lines[1]).to;
    this.viewerFollowsCursor = false;
    viewer.dispatch({
      selection: EditorSelection.cursor(from),
      effects: [setHighlight.of([{ from, to }]), EditorView.scrollIntoView(from, { y: "start" })],
    });
    this.showOrigin(path, def);
  }

  private openChange(path: string, name: string) {
    const [section, id] = name.split("/");
    const def = { Resources: "resources", Parameters: "parameters", Outputs: "outputs" }[section];
    if (def && id) this.openDefinition(path, { section: def as Definition["section"], name: id });
    else {
      this.host.selectOutput(path);
      this.show("file");
    }
  }

  /** The cursor moved in the viewer: highlight where the definition under it came from. */
  viewerUpdate(update: ViewUpdate) {
    if (!update.selectionSet) return;
    const path = this.host.selectedPath();
    const line = update.state.doc.lineAt(update.state.selection.main.head).number;
    const def = definitionAt(update.state.doc, path, line);
    if (def) this.showOrigin(path, def);
  }

  /** Highlights the compose span definition `def` of `path` came from, and says so. */
  private showOrigin(path: string, def: Definition) {
    const at = originOf(this.output.source_map, path, def);
    if (!at) {
      this.origin.textContent = `${def.name}: no compose origin (composex wiring)`;
      return;
    }
    this.origin.textContent = `${def.name} ← ${at.file}:${at.line}:${at.column}`;
    const tab = this.host.fileNames().indexOf(at.file);
    if (tab < 0) return;
    if (tab !== this.host.active()) this.host.selectInput(tab);
    const editor = this.host.editor;
    const range = rangeOf(editor.state.doc, at);
    editor.dispatch({ effects: [setHighlight.of([range]), EditorView.scrollIntoView(range.from, { y: "center" })] });
  }

  /** A new output left the file on show unchanged: its highlight follows the compose cursor
   *  under the new source map (an edit may have moved lines), without scrolling the viewer. */
  refreshOutputHighlight() {
    if (this.viewerFollowsCursor) this.inputUpdate(this.host.editor.state, false);
  }

  /** The cursor moved in the compose editor: highlight, in the file on show, what its line made
   *  (and scroll the first highlight into view when `reveal`). */
  inputUpdate(state: EditorState, reveal = true) {
    const name = this.host.fileNames()[this.host.active()];
    const line = state.doc.lineAt(state.selection.main.head).number;
    const produced = producedBy(this.output.source_map, name, line, state.doc.lines);
    const path = this.host.selectedPath();
    const viewer = this.host.viewer;
    const ranges = produced
      .filter((p) => p.path === path)
      .map((p) => definitionLines(viewer.state.doc, path, p.def))
      .filter((l): l is [number, number] => l !== undefined)
      .map(([a, b]) => ({ from: viewer.state.doc.line(a).from, to: viewer.state.doc.line(b).to }));
    viewer.dispatch({ effects: setHighlight.of(ranges) });
    this.viewerFollowsCursor = ranges.length > 0;
    if (reveal && ranges.length > 0) viewer.dispatch({ effects: EditorView.scrollIntoView(ranges[0].from, { y: "start" }) });
    const files = new Set(produced.map((p) => p.path));
    this.origin.textContent = produced.length
      ? `line ${line} made ${produced.length} definition${produced.length === 1 ? "" : "s"} in ${[...files].join(", ")}`
      : "";
    this.origin.dataset.produced = produced.map((p) => `${p.path}#${p.def.name}`).join(" ");
  }
}
