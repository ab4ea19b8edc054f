// Completion and hover in the compose editor (CodeMirror autocomplete and hover tooltips), from
// the wasm API's complete() and hover(): compose keys, x-keys, Properties names and their
// allowed values, access levels; the same tables validation uses.
import { autocompletion, Completion, CompletionContext, CompletionResult } from "@codemirror/autocomplete";
import { Extension } from "@codemirror/state";
import { EditorView, hoverTooltip } from "@codemirror/view";

export interface AssistRequest { seq: number; kind: "complete" | "hover"; text: string; offset: number }
interface CompletionData { from: number; options: { label: string; detail: string; info: string }[] }
interface HoverData { from: number; to: number; text: string }
export interface AssistReply { seq: number; completions?: CompletionData; hover?: HoverData | null; error?: string }

let worker: Worker | undefined;
let seq = 0;
const waiting = new Map<number, (reply: AssistReply) => void>();

/** The assist worker, started with the first editor (while the page loads, so nothing is
 *  fetched later: the page keeps working offline once loaded). */
function start(): Worker {
  if (!worker) {
    worker = new Worker(new URL("assist-worker.js", import.meta.url), { type: "module" });
    worker.onmessage = (event: MessageEvent<AssistReply>) => {
      waiting.get(event.data.seq)?.(event.data);
      waiting.delete(event.data.seq);
    };
  }
  return worker;
}

/** Asks the assist worker. */
function ask(kind: AssistRequest["kind"], text: string, offset: number): Promise<AssistReply> {
  const id = ++seq;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    start().postMessage({ seq: id, kind, text, offset } satisfies AssistRequest);
  });
}

async function completions(context: CompletionContext): Promise<CompletionResult | null> {
  const word = context.matchBefore(/[\w.:-]*/);
  const line = context.state.doc.lineAt(context.pos);
  const beforeOnLine = line.text.slice(0, context.pos - line.from);
  // Open by itself on a key being typed or after `key: `; Ctrl-Space opens it anywhere.
  if (!context.explicit && (!word || word.from === word.to) && !/:\s$/.test(beforeOnLine)) return null;
  const reply = await ask("complete", context.state.doc.toString(), context.pos);
  if (context.aborted || !reply.completions || reply.completions.options.length === 0) return null;
  const options: Completion[] = reply.completions.options.map((o) => ({
    label: o.label,
    detail: o.detail,
    info: o.info || undefined,
    type: o.detail === "allowed value" || o.detail === "access level" || o.detail === "boolean" ? "enum" : "property",
  }));
  return { from: reply.completions.from, options, validFor: /^[\w.:-]*$/ };
}

const hovers = hoverTooltip(async (view, pos) => {
  const reply = await ask("hover", view.state.doc.toString(), pos);
  const found = reply.hover;
  if (!found) return null;
  return {
    pos: found.from,
    end: found.to,
    above: true,
    create() {
      const dom = document.createElement("div");
      dom.className = "cm-composex-hover";
      dom.textContent = found.text;
      return { dom };
    },
  };
});

const theme = EditorView.theme({
  ".cm-composex-hover": { whiteSpace: "pre-wrap", maxWidth: "36em", padding: "4px 8px", fontSize: "90%" },
});

/** Hands the schema table file's text to the assist worker. */
export function loadAssistSchema(text: string) {
  start().postMessage({ schema: text });
}

/** Completion and hover for a compose file editor. */
export function assistExtensions(): Extension[] {
  start();
  return [autocompletion({ override: [completions], activateOnTyping: true }), hovers, theme];
}
