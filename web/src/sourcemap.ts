// Source-map helpers: which definition of a template a position is in, where a definition's
// block is, and a highlight decoration both editors use (compose span <-> generated resources).
import { EditorState, StateEffect, StateField, Text } from "@codemirror/state";
import { Decoration, DecorationSet, EditorView } from "@codemirror/view";
import { offsetOf } from "./editor";
import type { Location, Mapped, SourceMap } from "./types";

/** The template sections a source map covers, as named in the templates and in the map. */
const SECTIONS: Record<string, "resources" | "parameters" | "outputs"> = {
  Resources: "resources",
  Parameters: "parameters",
  Outputs: "outputs",
};

/** A definition of a template: its section (as in the source map) and name. */
export interface Definition { section: "resources" | "parameters" | "outputs"; name: string }

/** Indents of section keys and definition keys: YAML `Resources:` / `  Queue:`, JSON
 *  `  "Resources": {` / `    "Queue": {` (as the core writes them). */
function keyAt(line: string, json: boolean): { indent: number; key: string } | undefined {
  const m = json ? /^( *)"((?:[^"\\]|\\.)*)": [{[]?\s*$/.exec(line) : /^( *)([^\s#'"-][^:]*):\s*$/.exec(line);
  return m ? { indent: m[1].length, key: m[2] } : undefined;
}

/** The definition holding line `lineNumber` (1-based) of a template's text. */
export function definitionAt(doc: Text, path: string, lineNumber: number): Definition | undefined {
  const json = path.endsWith(".json");
  const [sectionIndent, nameIndent] = json ? [2, 4] : [0, 2];
  let name: string | undefined;
  for (let n = lineNumber; n >= 1; n--) {
    const line = doc.line(n).text;
    const key = keyAt(line, json);
    const indent = line.length - line.trimStart().length;
    if (line.trim() && indent < nameIndent && !key) return undefined;
    if (!key) continue;
    if (key.indent === nameIndent && name === undefined) name = key.key;
    if (key.indent === sectionIndent) {
      const section = SECTIONS[key.key];
      return section && name !== undefined ? { section, name } : undefined;
    }
  }
  return undefined;
}

/** The line numbers (first, last) of definition `def` in a template's text. */
export function definitionLines(doc: Text, path: string, def: Definition): [number, number] | undefined {
  const json = path.endsWith(".json");
  const [sectionIndent, nameIndent] = json ? [2, 4] : [0, 2];
  const sectionName = Object.entries(SECTIONS).find(([, s]) => s === def.section)?.[0];
  let inSection = false;
  let start = 0;
  for (let n = 1; n <= doc.lines; n++) {
    const line = doc.line(n).text;
    const key = keyAt(line, json);
    const indent = line.length - line.trimStart().length;
    if (start && line.trim() && indent <= nameIndent) return [start, n - 1];
    if (key?.indent === sectionIndent) inSection = key.key === sectionName;
    else if (inSection && key?.indent === nameIndent && key.key === def.name) start = n;
  }
  return start ? [start, doc.lines] : undefined;
}

/** The origin of `def` in output file `path`. */
export function originOf(map: SourceMap | undefined, path: string, def: Definition): Mapped | undefined {
  return map?.[path]?.[def.section]?.[def.name];
}

/** The document range of a location. */
export function rangeOf(doc: Text, at: Location): { from: number; to: number } {
  const from = offsetOf(doc, at.line, at.column_utf16);
  const to = Math.max(from, offsetOf(doc, at.end_line, at.end_column_utf16));
  return { from, to };
}

/** The definitions of output file `path` that came from line `line` of compose file `file`: the
 *  most specific origins holding the line (an origin covering the whole file says nothing). */
export function producedBy(map: SourceMap | undefined, file: string, line: number, lines: number): { path: string; def: Definition }[] {
  const found: { path: string; def: Definition; size: number }[] = [];
  for (const [path, sections] of Object.entries(map ?? {})) {
    for (const section of ["resources", "parameters", "outputs"] as const) {
      for (const [name, at] of Object.entries(sections[section] ?? {})) {
        if (at.file !== file || line < at.line || line > at.end_line) continue;
        const size = at.end_line - at.line;
        if (at.line === 1 && at.end_line >= lines) continue;
        found.push({ path, def: { section, name }, size });
      }
    }
  }
  const smallest = Math.min(...found.map((f) => f.size));
  return found.filter((f) => f.size === smallest).map(({ path, def }) => ({ path, def }));
}

// ---- highlight decorations -------------------------------------------------------------------

/** Replaces the highlighted ranges of an editor (empty list: none). */
export const setHighlight = StateEffect.define<{ from: number; to: number }[]>();

const mark = Decoration.mark({ class: "cm-source-highlight" });
const lineMark = Decoration.line({ class: "cm-source-line" });

const highlightField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(value, tr) {
    value = value.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setHighlight)) continue;
      const ranges = effect.value
        .filter((r) => r.to <= tr.state.doc.length)
        .sort((a, b) => a.from - b.from);
      const decorations = [];
      for (const r of ranges) {
        if (r.to > r.from) decorations.push(mark.range(r.from, r.to));
        const first = tr.state.doc.lineAt(r.from).number;
        const last = tr.state.doc.lineAt(r.to).number;
        for (let n = first; n <= last; n++) decorations.push(lineMark.range(tr.state.doc.line(n).from));
      }
      value = Decoration.set(decorations, true);
    }
    return value;
  },
  provide: (field) => EditorView.decorations.from(field),
});

/** The highlight extension: add it to an editor state to let `setHighlight` mark ranges. */
export const sourceHighlight = [highlightField];

/** True when `state` carries the highlight extension. */
export function hasHighlight(state: EditorState): boolean {
  return state.field(highlightField, false) !== undefined;
}
