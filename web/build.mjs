// Builds the static playground into web/dist: bundles src/*.ts with esbuild, embeds the examples
// from ../examples (or $COMPOSEX_EXAMPLES) and copies the HTML and CSS. The wasm package is put in
// dist/pkg by `make wasm` (wasm-bindgen --target web).
import { build } from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const examplesDir = resolve(process.env.COMPOSEX_EXAMPLES ?? join(here, "..", "examples"));

/** Compose files under `dir`, recursively, as paths relative to it. */
function composeFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return composeFiles(path).map((p) => join(entry, p));
    return /\.ya?ml$/.test(entry) ? [entry] : [];
  });
}

// Examples: each compose file directly in examples/; each folder with a base compose file
// (`docker-compose.yml`, `compose.yaml`, ...) on its own, and once more with each other YAML file of
// that folder as an override ("seed + existing-env.yml"). Folders without a base file (CI
// buildspecs, say) are not compose examples.
const isBase = (name) => /^(docker-)?compose\.ya?ml$/.test(name);
function collectExamples() {
  const read = (path) => ({ name: basename(path), text: readFileSync(join(examplesDir, path), "utf8") });
  const folders = new Map();
  const examples = [];
  for (const path of composeFiles(examplesDir)) {
    const folder = dirname(path);
    if (folder === ".") examples.push({ name: path.replace(/\.ya?ml$/, ""), files: [read(path)] });
    else folders.set(folder, [...(folders.get(folder) ?? []), path]);
  }
  for (const [folder, paths] of folders) {
    const base = paths.find((p) => isBase(basename(p)));
    if (!base) continue;
    examples.push({ name: folder, files: [read(base)] });
    for (const extra of paths.filter((p) => p !== base)) {
      examples.push({ name: `${folder} + ${basename(extra)}`, files: [read(base), read(extra)] });
    }
  }
  return examples;
}

// Each menu entry's one-line description, from examples/menu.json (keyed by menu name; its
// "diagnostics" list is what the browser test expects the entry to show). With a menu.json, an
// example without a description fails the build: the menu must say what every entry shows. A
// folder without one ($COMPOSEX_EXAMPLES pointing elsewhere) gets a menu without descriptions.
function describe(examples) {
  const file = join(examplesDir, "menu.json");
  if (!existsSync(file)) return examples.map((e) => ({ ...e, description: "" }));
  const menu = JSON.parse(readFileSync(file, "utf8"));
  const missing = examples.filter((e) => typeof menu[e.name]?.description !== "string" || !menu[e.name].description.trim());
  if (missing.length > 0) throw new Error(`${file}: no description for ${missing.map((e) => e.name).join(", ")}`);
  return examples.map((e) => ({ ...e, description: menu[e.name].description.trim() }));
}

const examples = describe(collectExamples());
const examplesPlugin = {
  name: "examples",
  setup(b) {
    b.onResolve({ filter: /^virtual:examples$/ }, () => ({ path: "examples", namespace: "examples" }));
    b.onLoad({ filter: /.*/, namespace: "examples" }, () => ({ contents: JSON.stringify(examples), loader: "json" }));
  },
};

mkdirSync(dist, { recursive: true });
await build({
  entryPoints: { main: "src/main.ts", worker: "src/worker.ts", "assist-worker": "src/assist-worker.ts", embed: "src/embed.ts" },
  absWorkingDir: here,
  outdir: dist,
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: true,
  // The wasm-bindgen glue is loaded at run time from dist/pkg, next to the bundles.
  external: ["./pkg/*"],
  plugins: [examplesPlugin],
  logLevel: "warning",
});
for (const file of ["index.html", "embed.html", "style.css", "embed.css", "views.css"]) copyFileSync(join(here, file), join(dist, file));
console.log(`web: built ${relative(process.cwd(), dist)} with ${examples.length} example(s): ${examples.map((e) => e.name).join(", ") || "none"}`);
