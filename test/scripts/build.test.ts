// `npm start` rebuilds dist/ at every start, and `npm run build` runs at deploy while the service
// still runs. Builds at the same moment never leave dist/ with a missing or half-written bundle,
// and a process running an earlier build still finds the chunks it loads late.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setImmediate } from "node:timers/promises";
import { transform } from "esbuild";
import { describe, expect, inject, it } from "vitest";
import { PROCESS_TEST_TIMEOUT, root } from "../helpers/processes.ts";

/** Relative imports of a bundle file: the chunks it loads, at once or later. */
function relativeImports(code: string): string[] {
  return [...code.matchAll(/(?:from|import)\s*\(?\s*"(\.\/[^"]+)"/g)].map((m) => m[1]!);
}

/**
 * What is wrong with dist/ as a process starting now would find it: main.mjs and every chunk it
 * reaches must exist and parse. Null when it would run.
 */
async function problemOf(dist: string): Promise<string | null> {
  const seen = new Set<string>();
  const queue = ["./main.mjs"];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    let code: string;
    try {
      code = await readFile(join(dist, name), "utf8");
    } catch {
      return `${name} is missing`;
    }
    try {
      // The entry is parsed whole (a half-written file would not); chunks are only followed, which is quicker.
      if (name === "./main.mjs") await transform(code, { loader: "js", format: "esm" });
    } catch {
      return `${name} does not parse (${code.length} characters)`;
    }
    queue.push(...relativeImports(code));
  }
  return null;
}

/** Whether any process is in this process group (a zombie too: nothing has reaped it yet). */
function groupExists(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** `npm run build` in a process group of its own; resolves with its exit code once nothing of it is left. */
async function build(): Promise<number | null> {
  const child = spawn(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "ignore", detached: true });
  const [code] = (await once(child, "exit")) as [number | null];
  // esbuild's own process is not left behind as an orphan (a container's PID 1 may never reap it).
  expect(groupExists(child.pid!)).toBe(false);
  return code;
}

describe("npm start and npm run build at the same time", { timeout: PROCESS_TEST_TIMEOUT }, () => {
  it("never leave dist/ without a whole main.mjs and all its chunks", async () => {
    expect(await build()).toBe(0);
    const dist = join(root, "dist");
    expect(await problemOf(dist)).toBeNull();

    const builds = Promise.all([build(), build()]);
    let done = false;
    void builds.finally(() => (done = true));
    const problems: string[] = [];
    let looks = 0;
    while (!done) {
      const problem = await problemOf(dist);
      if (problem) problems.push(problem);
      looks++;
      await setImmediate();
    }
    expect(await builds).toEqual([0, 0]);
    expect(problems).toEqual([]);
    expect(looks).toBeGreaterThan(5); // dist/ was looked at all along the builds (about a second)
    expect(await problemOf(dist)).toBeNull();
    // Nothing of the builds is left aside.
    expect(readdirSync(dist).filter((name) => name.startsWith(".tmp-"))).toEqual([]);
  });
});

/** A small program with a module loaded late, bundled by scripts/bundle.mjs into its own dist/. */
function fixture() {
  const dir = mkdtempSync(join(inject("testTmpDir"), "bundle-"));
  mkdirSync(join(dir, "src"));
  writeFileSync(
    join(dir, "src", "entry.mjs"),
    `process.stdin.once("data", async () => {
       const { word } = await import("./late.mjs");
       process.stdout.write(word + "\\n");
       process.exit(0);
     });
     process.stdout.write("ready\\n");\n`,
  );
  const dist = join(dir, "dist");
  return {
    dist,
    /** Builds with `word` in the late module, then makes every file look two hours old. */
    build(word: string): string[] {
      writeFileSync(join(dir, "src", "late.mjs"), `export const word = ${JSON.stringify(word)};\n`);
      const script = `const { bundle } = await import(${JSON.stringify(join(root, "scripts", "bundle.mjs"))});
        process.stdout.write(JSON.stringify(await bundle({ entry: ${JSON.stringify(join(dir, "src", "entry.mjs"))}, outdir: ${JSON.stringify(dist)} })));`;
      const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, encoding: "utf8" });
      expect(result.stderr).toBe("");
      const files = JSON.parse(result.stdout) as string[];
      const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60_000);
      for (const name of [...readdirSync(dist), ...readdirSync(join(dist, ".builds")).map((n) => join(".builds", n))])
        utimesSync(join(dist, name), twoHoursAgo, twoHoursAgo);
      return files;
    },
  };
}

describe("earlier builds", { timeout: PROCESS_TEST_TIMEOUT }, () => {
  it("stay while a process may run them: the last three are kept, older ones go", async () => {
    const f = fixture();
    const first = f.build("một");
    const late = first.find((name) => name.startsWith("late-"));
    expect(late).toBeDefined();

    const running = spawn(process.execPath, [join(f.dist, "main.mjs")], { stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    running.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve) => running.stdout.on("data", () => output.includes("ready") && resolve()));

    const second = f.build("hai");
    const third = f.build("ba");
    expect(second).not.toContain(late);
    // Started from the first build, the process loads its late module only now.
    running.stdin.write("go\n");
    await once(running, "close");
    expect(output).toBe("ready\nmột\n");

    const fourth = f.build("bốn");
    const left = readdirSync(f.dist).filter((name) => !name.startsWith("."));
    expect(left.sort()).toEqual([...new Set([...second, ...third, ...fourth])].sort());
    expect(existsSync(join(f.dist, late!))).toBe(false);
    expect(readdirSync(join(f.dist, ".builds"))).toHaveLength(3);
  });

  it("removes what a killed build of this machine left aside, and another machine's once it is old", async () => {
    const f = fixture();
    f.build("một");
    // A process of this machine that has ended, and the folder name a build of it would have used.
    const ended = spawnSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const { temporaryFolderName } = await import(${JSON.stringify(join(root, "scripts", "bundle.mjs"))});
         process.stdout.write(temporaryFolderName());`,
      ],
      { encoding: "utf8" },
    );
    const killed = ended.stdout;
    expect(killed).toMatch(/^\.tmp-[0-9a-f]{8}-\d+-[0-9a-f]{12}$/);
    const elsewhere = ".tmp-00000000-4242-0a1b2c3d4e5f";
    for (const name of [killed, elsewhere]) {
      mkdirSync(join(f.dist, name));
      writeFileSync(join(f.dist, name, "main.mjs"), "export const half = ");
    }
    f.build("hai");
    expect(existsSync(join(f.dist, killed))).toBe(false); // its process is gone
    expect(existsSync(join(f.dist, elsewhere))).toBe(true); // its process may be building right now
    f.build("ba"); // the one before made it two hours old: too old to be a build still running
    expect(existsSync(join(f.dist, elsewhere))).toBe(false);
  });
});
