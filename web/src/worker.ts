// The render worker: owns the wasm instance so typing never waits on a render. The page sends
// at most one request at a time (newest wins) and drops any answer that is not the newest.
import init, { defaultOptions, loadSchema, renderWithGraphJson, version } from "./pkg/composex_wasm.js";
import type { RenderRequest, SchemaMessage, WorkerReply } from "./types";

const post = (reply: WorkerReply) => postMessage(reply);

const ready = init().then(() => post({ kind: "ready", version: version(), defaults: defaultOptions() }));

onmessage = async (event: MessageEvent<RenderRequest | SchemaMessage>) => {
  if ("schema" in event.data) {
    // The schema table: Properties checks run from the next render on.
    const text = event.data.schema;
    await ready;
    post({ kind: "schema", error: loadSchema(text) });
    return;
  }
  const { seq, input } = event.data;
  try {
    await ready;
    const started = performance.now();
    // With the source map and the graph (the Graph view, the span highlights), as JSON text:
    // posting one string is cheaper than cloning thousands of objects, and the page parses
    // only the answers it shows.
    const json = renderWithGraphJson(input);
    post({ kind: "result", seq, json, millis: performance.now() - started });
  } catch (error) {
    // Only a bug in composex gets here (user errors are diagnostics); show it instead of hanging.
    post({ kind: "failed", seq, message: String(error) });
  }
};
