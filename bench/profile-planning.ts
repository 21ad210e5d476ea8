// Profiles the pass the national benchmark times (bench/national.ts: 60 plans, the 08:00 after 5,000
// reports and an evening pass), for finding where planning time goes:
// `npx tsx bench/profile-planning.ts [--quick]` writes planning.cpuprofile in the system's temporary
// folder (open it in Chrome's DevTools) and prints the functions that took the most time of their own.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildNational, measureNational } from "./national.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Milliseconds of their own per function, the largest first. */
function selfTimes(profile: Profile, top: number): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = `${functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}:${lineNumber + 1}`;
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => `${ms.toFixed(0).padStart(6)} ms  ${name}`);
}

const quick = process.argv.includes("--quick");
const dir = mkdtempSync(join(tmpdir(), "nhacviec-prof-"));
const session = new Session();
session.connect();
try {
  const { url } = await buildNational(`file:${join(dir, "national.db")}`, quick);
  let profile: Profile | undefined;
  const measured = await measureNational(url, quick, {
    before: async () => {
      await session.post("Profiler.enable");
      await session.post("Profiler.start");
    },
    after: async () => {
      profile = (await session.post("Profiler.stop")).profile as unknown as Profile;
    },
  });
  const file = join(tmpdir(), "planning.cpuprofile");
  writeFileSync(file, JSON.stringify(profile));
  process.stdout.write(
    [`planning ${measured.planning.ms} ms, ${measured.planning.pushes} pushes; ${file}`, ...selfTimes(profile!, 25)]
      .concat("")
      .join("\n"),
  );
} finally {
  session.disconnect();
  rmSync(dir, { recursive: true, force: true });
}
