// The Graph view: the resource graph the core returns, laid out by dagre and drawn as SVG. Every
// text goes in through textContent (never markup), so names from the compose file stay text.
import dagre from "@dagrejs/dagre";
import type { Graph, GraphEdge, GraphNode } from "./types";

const SVG = "http://www.w3.org/2000/svg";
const CHAR_WIDTH = 7; // px per character at the node font size, for sizing boxes before drawing
const NODE_HEIGHT = 40;

/** Fill per node kind; the same palette as `composex graph --format dot|mermaid`. */
export const KIND_COLOURS: Record<string, string> = {
  service: "#dbeafe",
  "x-resource": "#fef3c7",
  "load-balancer": "#dcfce7",
  network: "#f3e8ff",
  volume: "#ffe4e6",
  namespace: "#e0f2fe",
};

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) element.setAttribute(k, String(v));
  return element;
}

function text(x: number, y: number, content: string, cls: string): SVGTextElement {
  const t = svg("text", { x, y, class: cls, "text-anchor": "middle" });
  t.textContent = content;
  return t;
}

/** What a node says under its name. */
export function nodeKind(node: GraphNode): string {
  return node.module ?? node.kind;
}

export function edgeLabel(edge: GraphEdge): string {
  return edge.label ? `${edge.kind}: ${edge.label}` : edge.kind;
}

/** Everything the drawing depends on besides places in the compose files: two graphs with the
 *  same key draw the same picture. */
export function graphLayoutKey(graph: Graph): string {
  return JSON.stringify([
    graph.nodes.map((n) => [n.id, n.name, n.kind, nodeKind(n), n.resources.length]),
    graph.edges.map((e) => [e.from, e.to, e.kind, edgeLabel(e)]),
  ]);
}

/** Draws `graph` into `host` (replacing what it held); `onNode` runs when a node is clicked or
 *  activated with the keyboard. Returns the SVG element. */
export function drawGraph(host: HTMLElement, graph: Graph, onNode: (node: GraphNode) => void): SVGSVGElement {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "LR", nodesep: 24, ranksep: 70, edgesep: 12, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) {
    const width = Math.max(node.name.length, nodeKind(node).length) * CHAR_WIDTH + 24;
    g.setNode(node.id, { width, height: NODE_HEIGHT });
  }
  graph.edges.forEach((edge, i) => {
    const label = edgeLabel(edge);
    g.setEdge(edge.from, edge.to, { width: label.length * 6, height: 14, labelpos: "c" }, `e${i}`);
  });
  dagre.layout(g);
  const size = g.graph();
  const root = svg("svg", {
    class: "graph",
    viewBox: `0 0 ${Math.ceil(size.width ?? 100)} ${Math.ceil(size.height ?? 100)}`,
    width: Math.ceil(size.width ?? 100),
    height: Math.ceil(size.height ?? 100),
    role: "group",
    "aria-label": "Resource graph",
  });
  const defs = svg("defs", {});
  const marker = svg("marker", { id: "graph-arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
  marker.append(svg("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "graph-arrow" }));
  defs.append(marker);
  root.append(defs);

  graph.edges.forEach((edge, i) => {
    const laid = g.edge({ v: edge.from, w: edge.to, name: `e${i}` });
    if (!laid?.points?.length) return;
    const group = svg("g", { class: `graph-edge kind-${edge.kind}`, "data-from": edge.from, "data-to": edge.to, "data-kind": edge.kind });
    const d = laid.points.map((p: { x: number; y: number }, j: number) => `${j === 0 ? "M" : "L"} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(" ");
    group.append(svg("path", { d, "marker-end": "url(#graph-arrow)" }));
    if (laid.x !== undefined && laid.y !== undefined) group.append(text(laid.x, laid.y + 4, edgeLabel(edge), "graph-edge-label"));
    root.append(group);
  });

  for (const node of graph.nodes) {
    const laid = g.node(node.id);
    if (!laid) continue;
    const x = laid.x - laid.width / 2;
    const y = laid.y - laid.height / 2;
    const group = svg("g", {
      class: "graph-node",
      "data-id": node.id,
      "data-kind": node.kind,
      tabindex: 0,
      role: "button",
      "aria-label": `${node.name} (${nodeKind(node)}), ${node.resources.length} resources`,
    });
    group.append(svg("rect", { x, y, width: laid.width, height: laid.height, rx: 6, fill: KIND_COLOURS[node.kind] ?? "#e5e7eb" }));
    group.append(text(laid.x, laid.y - 3, node.name, "graph-node-name"));
    group.append(text(laid.x, laid.y + 12, nodeKind(node), "graph-node-kind"));
    const activate = () => {
      for (const other of root.querySelectorAll(".graph-node.selected")) other.classList.remove("selected");
      group.classList.add("selected");
      onNode(node);
    };
    group.addEventListener("click", activate);
    group.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        activate();
      }
    });
    root.append(group);
  }
  host.replaceChildren(root);
  return root;
}
