// Shapes of the wasm API (the same interfaces ship in pkg/composex_wasm.d.ts, written in
// wasm/src/lib.rs); repeated here so the page type-checks before the wasm is built.

export interface SourceFile { name: string; text: string }
export interface Options {
  projectName: string;
  format: "yaml" | "json";
  layout: "nested" | "single";
  params?: Record<string, string>;
  /** Active compose profiles (`*` activates all). */
  profiles?: string[];
  /** Check Properties values against the CloudFormation schemas (default true). */
  checkProperties?: boolean;
}
export interface Input {
  files: SourceFile[];
  env: Record<string, string>;
  options: Options;
  /** Files the compose files name (env_file, include, extends.file), by project-relative path. */
  extra_files?: Record<string, SourceFile>;
}
export interface Span { file: number; start: number; end: number }
export interface Location {
  file: string;
  start: number;
  end: number;
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  column_utf16: number;
  end_column_utf16: number;
}
export interface Diagnostic {
  severity: "error" | "warning" | "info";
  code: string;
  message: string;
  span: Span | null;
  location?: Location;
  labels?: { span: Span; message: string; location?: Location }[];
  help?: string;
}
export interface OutputFile { path: string; text: string }
export interface Output { files: OutputFile[]; diagnostics: Diagnostic[]; source_map?: SourceMap; graph?: Graph | null }
/** Where a generated definition came from (a compose location), plus the resource type. */
export interface Mapped extends Location { type?: string }
/** Output file -> logical id -> origin. */
export type SourceMap = Record<string, { resources: Record<string, Mapped>; parameters?: Record<string, Mapped>; outputs?: Record<string, Mapped> }>;
/** A node of the resource graph; location fields are absent when no key defines it. */
export interface GraphNode extends Partial<Location> {
  id: string;
  kind: string;
  name: string;
  module?: string;
  resources: { file: string; id: string; type: string }[];
}
export interface GraphEdge { from: string; to: string; kind: string; label: string }
export interface Graph { nodes: GraphNode[]; edges: GraphEdge[] }

/** Worker protocol: the page asks, the worker answers with the same sequence number. */
export interface RenderRequest { seq: number; input: Input }
/** The schema table file's text, which the page fetches after first paint (both workers get it). */
export interface SchemaMessage { schema: string }
export type WorkerReply =
  | { kind: "ready"; version: string; defaults: Options }
  | { kind: "schema"; error?: string }
  /** `json`: the Output (with source map and graph) as JSON text, parsed by the page when shown. */
  | { kind: "result"; seq: number; json: string; millis: number }
  | { kind: "failed"; seq: number; message: string };
