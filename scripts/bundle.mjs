// Builds the bot into dist/ without a moment where dist/ holds half a build: `npm start` rebuilds
// at every start, and two starts (or a start and `npm run build` at deploy) may build at once
// while other processes run an earlier build.
//
// esbuild writes nothing itself (write: false). The files go to a temporary folder inside dist/,
// then each is renamed into place, the chunks first and main.mjs last: a rename replaces a file
// atomically, so a process that reads main.mjs at any moment gets a whole one, and the chunks it
// names are already there. Chunk names carry a hash of their contents, so a chunk name means the
// same bytes in every build, and the chunks of earlier builds stay: a process started from an
// earlier main.mjs loads some of its chunks long after starting (the export's chart and document
// modules, when someone first asks for them), and must still find them.
import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { basename, join, resolve } from "node:path";

// esbuild's build() keeps a service process, and its buildSync() one in a worker thread: either
// outlives this process, an orphan until something reaps it (a container's PID 1 may never). Without
// worker threads, buildSync runs esbuild as a child it waits for. Read when esbuild loads, so set first.
process.env.ESBUILD_WORKER_THREADS = "0";
const { buildSync } = await import("esbuild");

/** Earlier builds whose files are kept, for processes still running them. */
export const KEEP_BUILDS = 3;
/** Nothing this recent is removed: it may belong to a build running right now, here or elsewhere. */
export const RECENT_MS = 60 * 60_000;

const MANIFESTS = ".builds";
const TEMP = /^\.tmp-([0-9a-f]{8})-(\d+)-[0-9a-f]+$/;

/**
 * This machine and its process-id space (as src/db/db.ts names a database being built): dist/ may be
 * shared with another machine or container, where the same process id is another process.
 */
const PROCESS_SPACE = (() => {
  let namespace = "";
  try {
    namespace = readlinkSync("/proc/self/ns/pid");
  } catch {
    // Not Linux: the host name alone.
  }
  return createHash("sha256").update(`${hostname()}\0${namespace}`).digest("hex").slice(0, 8);
})();

/** Where a build of process `pid` of this process space writes before it puts its files in place. */
export function temporaryFolderName(pid = process.pid) {
  return `.tmp-${PROCESS_SPACE}-${pid}-${randomBytes(6).toString("hex")}`;
}

/**
 * Bundles `entry` into `outdir` (main.mjs and a chunk per lazily loaded module: each platform
 * adapter, the PostgreSQL driver, the export's chart and document) and returns the files written.
 */
export function bundle({ entry = "src/main.ts", outdir = "dist", keep = KEEP_BUILDS } = {}) {
  const out = resolve(outdir);
  mkdirSync(join(out, MANIFESTS), { recursive: true });
  const result = buildSync({
    entryPoints: { main: entry },
    outdir: out,
    outExtension: { ".js": ".mjs" },
    splitting: true,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Dependencies stay in node_modules, loaded as they are (Prisma's runtime, better-sqlite3, grammY).
    packages: "external",
    logLevel: "warning",
    write: false,
  });
  const files = result.outputFiles.map((f) => ({ name: basename(f.path), contents: f.contents }));
  const main = files.find((f) => f.name === "main.mjs");
  if (!main) throw new Error("esbuild produced no main.mjs");

  const temp = join(out, temporaryFolderName());
  mkdirSync(temp);
  try {
    for (const file of files) writeDurably(join(temp, file.name), file.contents);
    // Recorded before anything is published, so a cleanup running beside this build keeps its files.
    const id = createHash("sha256").update(main.contents).digest("hex").slice(0, 16);
    writeDurably(join(temp, `${id}.json`), JSON.stringify(files.map((f) => f.name)));
    renameSync(join(temp, `${id}.json`), join(out, MANIFESTS, `${id}.json`));
    for (const file of files) if (file !== main) renameSync(join(temp, file.name), join(out, file.name));
    renameSync(join(temp, main.name), join(out, main.name));
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  removeStale(out, keep);
  return files.map((f) => f.name);
}

function writeDurably(path, contents) {
  const fd = openSync(path, "w");
  try {
    writeSync(fd, typeof contents === "string" ? contents : Buffer.from(contents));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function ageMs(path) {
  return Date.now() - statSync(path).mtimeMs;
}

/** Whether a process of this process space still runs (EPERM: it does, under another user). */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/**
 * Removes what no recent build needs: files of builds older than the last `keep` (and older than
 * RECENT_MS), their manifests, and temporary folders of builds that were killed. A dist/ left by
 * the earlier build script, with no manifests, loses its files once they are RECENT_MS old.
 */
function removeStale(out, keep) {
  const dir = join(out, MANIFESTS);
  const manifests = readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .map((name) => ({ path: join(dir, name), age: safely(() => ageMs(join(dir, name)), 0) }))
    .sort((a, b) => a.age - b.age);
  const kept = new Set(["main.mjs"]);
  manifests.forEach((manifest, i) => {
    if (i < keep || manifest.age < RECENT_MS) {
      for (const name of safely(() => JSON.parse(readFileSync(manifest.path, "utf8")), [])) kept.add(name);
    } else safely(() => rmSync(manifest.path, { force: true }));
  });
  for (const name of readdirSync(out)) {
    const path = join(out, name);
    const temp = TEMP.exec(name);
    if (temp) {
      const killed = temp[1] === PROCESS_SPACE && !alive(Number(temp[2]));
      if (killed || safely(() => ageMs(path), 0) > RECENT_MS)
        safely(() => rmSync(path, { recursive: true, force: true }));
      continue;
    }
    if (name.startsWith(".") || kept.has(name)) continue;
    if (safely(() => ageMs(path), 0) > RECENT_MS) safely(() => rmSync(path, { force: true }));
  }
}

/** Another build may remove or replace the same file at the same moment: that is not an error here. */
function safely(work, fallback) {
  try {
    return work();
  } catch {
    return fallback;
  }
}
