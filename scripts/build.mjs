// Bundles the bot into dist/ (main.mjs and a chunk per platform adapter, loaded only when that
// platform is configured) for `npm start`. Running from plain JavaScript spares the
// process tsx's loader thread (about 30 MB of resident memory the whole time the bot runs);
// development, tests and the CLI keep running the TypeScript directly.
import { rmSync } from "node:fs";
import { build } from "esbuild";

// Chunk names carry a hash: without a clean folder, old chunks would pile up.
rmSync("dist", { recursive: true, force: true });

await build({
  entryPoints: ["src/main.ts"],
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  splitting: true,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Dependencies stay in node_modules, loaded as they are (Prisma's runtime, better-sqlite3, grammY).
  packages: "external",
  logLevel: "warning",
});
