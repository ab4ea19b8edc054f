// The completion and hover worker: its own wasm instance answers the editor's questions
// (complete, hover) so they never wait behind a render in the render worker.
import init, { complete, hover, loadSchema } from "./pkg/composex_wasm.js";
import type { AssistReply, AssistRequest } from "./assist";
import type { SchemaMessage } from "./types";

const ready = init();

onmessage = async (event: MessageEvent<AssistRequest | SchemaMessage>) => {
  if ("schema" in event.data) {
    // The schema table: Properties names, values and their docs from now on.
    const table = event.data.schema;
    await ready;
    const error = loadSchema(table);
    if (error) console.warn(`composex: schema table refused: ${error}`);
    return;
  }
  const { seq, kind, text, offset } = event.data;
  try {
    await ready;
    const reply: AssistReply =
      kind === "complete" ? { seq, completions: complete(text, offset) } : { seq, hover: hover(text, offset) ?? null };
    postMessage(reply);
  } catch (error) {
    postMessage({ seq, error: String(error) } satisfies AssistReply);
  }
};
