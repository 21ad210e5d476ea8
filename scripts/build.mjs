// Bundles the bot into dist/main.mjs for `npm start`. Running from plain JavaScript spares the
// process tsx's loader thread (about 30 MB of resident memory the whole time the bot runs);
// development, tests and the CLI keep running the TypeScript directly.
import { build } from "esbuild";

await build({
  entryPoints: ["src/main.ts"],
  outfile: "dist/main.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Dependencies stay in node_modules, loaded as they are (Prisma's runtime, better-sqlite3, grammY).
  packages: "external",
  logLevel: "warning",
});
