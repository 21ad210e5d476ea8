// The benchmark once failed on a fresh clone: .gitignore's "data/" rule hid bench/data/, so the
// file it reads was never committed. This fails when that happens again.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "../helpers/processes.ts";

const BENCH_DATA = "bench/data/viet-nam-cap-xa.csv";

describe("the benchmark's data", () => {
  it("is tracked by git, not ignored", () => {
    const tracked = execFileSync("git", ["ls-files", "--", BENCH_DATA], { cwd: root, encoding: "utf8" }).trim();
    expect(tracked).toBe(BENCH_DATA);
    // Exit status 1: no rule of .gitignore matches the path.
    expect(spawnSync("git", ["check-ignore", "--no-index", "-q", BENCH_DATA], { cwd: root }).status).toBe(1);
  });

  it("holds all 3,321 commune-level units", () => {
    const lines = readFileSync(join(root, BENCH_DATA), "utf8").trim().split(/\r?\n/);
    expect(lines[0]).toBe("ma_tinh,tinh,ma,ten,loai");
    expect(lines).toHaveLength(3322);
  });
});
