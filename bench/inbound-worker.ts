// One of several bot processes taking inbound reports on one PostgreSQL database (pg.ts): its share
// of the agencies, its share of the reports (and of their rate, when they come at one), and its
// latencies as one JSON line on stdout.
import { createApp } from "../src/app.ts";
import { createManualClock } from "../src/lib/clock.ts";
import { loadConfig } from "../src/config.ts";
import { parseIsoInstant } from "../src/lib/time.ts";
import { inboundThroughCore, logger, SIZE } from "./common.ts";

const [url, partText, partsText, perSecondText] = process.argv.slice(2);
const part = Number(partText);
const parts = Number(partsText);
/** The share of a steady rate this process sends, or 0 to send each report once the last is answered. */
const perSecond = Number(perSecondText);
const WARM_UP_REPORTS = 100;
const clock = createManualClock(parseIsoInstant("2026-11-25T09:00")!);
const app = await createApp({ config: loadConfig({ DATABASE_URL: url }), logger, clock, channels: [] });
const members = (
  await app.db.agency.findMany({
    where: { parent: { code: "IV.9" } },
    select: { id: true, directoryId: true },
    orderBy: { id: "asc" },
  })
)
  .slice(0, SIZE.reportAgencies)
  .filter((_, i) => i % parts === part);
// At a steady rate a cold start's slow first reports would hold up every report behind them: the
// process answers a few first, as a bot that has been running has.
if (perSecond > 0) await inboundThroughCore(app, clock, members, { reports: WARM_UP_REPORTS });
const latencies: number[] = [];
const started = performance.now();
const reports = perSecond ? SIZE.pacedReports : SIZE.reports;
await inboundThroughCore(app, clock, members, {
  reports: Math.ceil(reports / parts),
  latencies,
  ...(perSecond > 0 && { perSecond: perSecond / parts }),
});
const ms = performance.now() - started;
await app.close();
process.stdout.write(`${JSON.stringify({ ms, latencies })}\n`);
