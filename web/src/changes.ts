// The Changes view: after an edit, which generated files and which of their resources,
// parameters and outputs changed. A structural diff (section by section, definition by
// definition), not a text diff of whole files.
import type { OutputFile } from "./types";

/** One changed file: what happened to it and to the definitions in it. */
export interface FileChange {
  path: string;
  status: "added" | "removed" | "changed";
  /** `Resources/Queue`, `Parameters/VpcId`, ... with what happened to each. */
  entries: { name: string; status: "added" | "removed" | "changed" }[];
}

/** A template split into definitions: `Section/Name` -> its text. JSON is parsed; YAML (as the
 *  core writes it: two-space indents, top-level sections) is cut at its second-level keys. */
export function definitions(file: OutputFile): Map<string, string> {
  const out = new Map<string, string>();
  if (file.path.endsWith(".json")) {
    let value: unknown;
    try {
      value = JSON.parse(file.text);
    } catch {
      out.set("(file)", file.text);
      return out;
    }
    if (value && typeof value === "object" && !Array.isArray(value)) {
      for (const [section, body] of Object.entries(value as Record<string, unknown>)) {
        if (body && typeof body === "object" && !Array.isArray(body)) {
          for (const [name, def] of Object.entries(body as Record<string, unknown>)) out.set(`${section}/${name}`, JSON.stringify(def));
        } else {
          out.set(section, JSON.stringify(body));
        }
      }
    } else {
      out.set("(file)", file.text);
    }
    return out;
  }
  let section = "";
  let current = "";
  for (const line of file.text.split("\n")) {
    const top = /^([^\s#][^:]*):(.*)$/.exec(line);
    if (top) {
      section = top[1];
      current = top[2].trim() ? section : "";
      if (current) out.set(current, top[2].trim());
      continue;
    }
    const second = /^ {2}([^\s#-][^:]*):/.exec(line);
    if (second && section) {
      current = `${section}/${second[1].replace(/^['"]|['"]$/g, "")}`;
      out.set(current, line);
      continue;
    }
    if (current) out.set(current, `${out.get(current) ?? ""}\n${line}`);
  }
  return out;
}

/** What changed from `before` to `after` (files in path order; unchanged files left out). */
export function diffOutputs(before: OutputFile[], after: OutputFile[]): FileChange[] {
  const old = new Map(before.map((f) => [f.path, f]));
  const now = new Map(after.map((f) => [f.path, f]));
  const paths = [...new Set([...old.keys(), ...now.keys()])].sort();
  const changes: FileChange[] = [];
  for (const path of paths) {
    const a = old.get(path);
    const b = now.get(path);
    if (!a && b) changes.push({ path, status: "added", entries: [] });
    else if (a && !b) changes.push({ path, status: "removed", entries: [] });
    else if (a && b && a.text !== b.text) {
      const da = definitions(a);
      const db = definitions(b);
      const names = [...new Set([...da.keys(), ...db.keys()])];
      const entries: FileChange["entries"] = [];
      for (const name of names) {
        if (!da.has(name)) entries.push({ name, status: "added" });
        else if (!db.has(name)) entries.push({ name, status: "removed" });
        else if (da.get(name) !== db.get(name)) entries.push({ name, status: "changed" });
      }
      changes.push({ path, status: "changed", entries });
    }
  }
  return changes;
}

/** Draws `changes` into `host` as a list (text only). */
export function drawChanges(host: HTMLElement, changes: FileChange[], onOpen: (path: string, name: string) => void) {
  if (changes.length === 0) {
    const p = document.createElement("p");
    p.className = "note";
    p.textContent = "No generated file changed with the last edit.";
    host.replaceChildren(p);
    return;
  }
  host.replaceChildren(
    ...changes.map((change) => {
      const section = document.createElement("section");
      section.className = "change";
      section.dataset.path = change.path;
      section.dataset.status = change.status;
      const title = document.createElement("h3");
      title.textContent = `${change.path}: ${change.status}`;
      section.append(title);
      if (change.entries.length > 0) {
        const list = document.createElement("ul");
        for (const entry of change.entries) {
          const li = document.createElement("li");
          li.dataset.status = entry.status;
          li.dataset.name = entry.name;
          const button = document.createElement("button");
          button.type = "button";
          button.textContent = `${entry.status}: ${entry.name}`;
          button.addEventListener("click", () => onOpen(change.path, entry.name));
          li.append(button);
          list.append(li);
        }
        section.append(list);
      }
      return section;
    }),
  );
}
