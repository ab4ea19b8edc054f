// CodeMirror 6 setup shared by the input editor, the output viewer and the embed script.
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { json } from "@codemirror/lang-json";
import { yaml } from "@codemirror/lang-yaml";
import { bracketMatching, foldGutter, HighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, lintKeymap, Diagnostic as LintDiagnostic } from "@codemirror/lint";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { EditorState, Extension, Text } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { tags } from "@lezer/highlight";
import type { Diagnostic } from "./types";

// Colours come from CSS variables (style.css), so the system's dark mode switches them.
const highlight = HighlightStyle.define([
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: "var(--syn-key)" },
  { tag: [tags.string, tags.special(tags.string)], color: "var(--syn-string)" },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: "var(--syn-literal)" },
  { tag: [tags.comment, tags.lineComment], color: "var(--syn-comment)", fontStyle: "italic" },
  { tag: [tags.labelName, tags.typeName, tags.meta], color: "var(--syn-meta)" },
  { tag: [tags.punctuation, tags.separator, tags.squareBracket, tags.brace], color: "var(--syn-punct)" },
]);

const theme = EditorView.theme({
  "&": { height: "100%", color: "var(--fg)", backgroundColor: "var(--editor-bg)" },
  ".cm-content": { caretColor: "var(--fg)", fontFamily: "var(--mono)" },
  ".cm-gutters": { backgroundColor: "var(--gutter-bg)", color: "var(--muted)", border: "none" },
  ".cm-activeLine, .cm-activeLineGutter": { backgroundColor: "var(--active-line)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground": { backgroundColor: "var(--selection)" },
  ".cm-tooltip": { backgroundColor: "var(--panel)", color: "var(--fg)", border: "1px solid var(--border)" },
});

const common: Extension[] = [lineNumbers(), highlightActiveLineGutter(), foldGutter(), drawSelection(), theme, syntaxHighlighting(highlight)];

/** Extensions of an editable compose file (with lint squiggles and gutter marks). */
export function inputExtensions(onChange: () => void): Extension[] {
  return [
    ...common,
    history(),
    indentOnInput(),
    bracketMatching(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    lintGutter(),
    yaml(),
    EditorState.tabSize.of(2),
    // No indent-on-Tab binding: Tab keeps moving focus, so keyboard users can leave the editor.
    keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, ...lintKeymap]),
    EditorView.contentAttributes.of({ "aria-label": "Compose file editor" }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) onChange();
    }),
  ];
}

/** Extensions of a read-only generated file. */
export function outputExtensions(path: string): Extension[] {
  return [
    ...common,
    EditorState.readOnly.of(true),
    path.endsWith(".json") ? json() : yaml(),
    keymap.of([...defaultKeymap, ...searchKeymap]),
    EditorView.contentAttributes.of({ "aria-label": `Generated file ${path} (read-only)` }),
  ];
}

/** Document offset of a 1-based line and 1-based UTF-16 column (what CodeMirror counts), clamped. */
export function offsetOf(doc: Text, line: number, columnUtf16: number): number {
  if (line < 1) return 0;
  if (line > doc.lines) return doc.length;
  const l = doc.line(line);
  return Math.min(l.from + Math.max(0, columnUtf16 - 1), l.to);
}

/** A composex diagnostic as a CodeMirror lint diagnostic on `doc`. */
export function toLint(doc: Text, d: Diagnostic): LintDiagnostic {
  const loc = d.location;
  const from = loc ? offsetOf(doc, loc.line, loc.column_utf16) : 0;
  const to = loc ? Math.max(from, offsetOf(doc, loc.end_line, loc.end_column_utf16)) : from;
  const help = d.help ? `\nhelp: ${d.help}` : "";
  return { from, to, severity: d.severity, source: d.code, message: `${d.message}${help}` };
}
