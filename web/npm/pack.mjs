// `make npm`: lays out the npm package (the wasm package from web/dist/pkg, the embed script and
// stylesheet from web/dist, package.json, README.md and embed.d.ts from web/npm) in
// target/npm/package and packs it into target/npm/<name>-<version>.tgz with `npm pack`. The
// version is the workspace's (Cargo.toml).
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const dist = join(root, "web/dist");
const out = join(root, "target/npm");
const pkgDir = join(out, "package");

const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
const version = cargo.match(/\[workspace\.package\][^[]*?\nversion = "([^"]+)"/)?.[1];
if (!version) throw new Error("no [workspace.package] version in Cargo.toml");

const manifest = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
manifest.version = version;

rmSync(pkgDir, { recursive: true, force: true });
mkdirSync(join(pkgDir, "pkg"), { recursive: true });
writeFileSync(join(pkgDir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
for (const file of ["README.md", "embed.d.ts"]) copyFileSync(join(here, file), join(pkgDir, file));
for (const file of ["embed.js", "embed.css"]) copyFileSync(join(dist, file), join(pkgDir, file));
for (const file of ["composex_wasm.js", "composex_wasm.d.ts", "composex_wasm_bg.wasm", "composex_wasm_bg.wasm.d.ts", "composex_schema.json"]) {
  const from = join(dist, "pkg", file);
  if (!existsSync(from)) throw new Error(`${from} is missing: run \`make wasm\` first`);
  copyFileSync(from, join(pkgDir, "pkg", file));
}
// The bundled embed.js names its source map; the package does not ship it.
const embed = join(pkgDir, "embed.js");
writeFileSync(embed, readFileSync(embed, "utf8").replace(/\n\/\/# sourceMappingURL=.*\n?$/, "\n"));

const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", out], { cwd: pkgDir, encoding: "utf8" }).trim();
console.log(`npm: ${join("target/npm", tarball)}`);
