// The province at national scale: 60 active plans to the same directory, each of 10–30 agencies
// and 20–40 duties, ten of them with every commune-level unit of Vietnam (3,321) under one group,
// two contacts per agency. Deadlines are spread so that every plan has a reminder point at the
// same 08:00 (T-30 … T-1 for some, overdue for others): the worst minute, where each commune's
// contacts are due in several plans at once and get one merged push.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { createApp, type App } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { createDb, migrateDatabase, type Db } from "../src/db/db.ts";
import { createManualClock, type ManualClock } from "../src/lib/clock.ts";
import { addDays, dayOfWeek, localDateTime, parseIsoInstant, toIsoLocal, type LocalDate } from "../src/lib/time.ts";
import { seedBundle } from "../src/plan/bundle.ts";
import { importPlan } from "../src/plan/import-plan.ts";
import { addMembers, parseMembersCsv } from "../src/plan/members.ts";
import type { ParsedAgency, ParsedPlan } from "../src/plan/parse-plan.ts";
import { VIEW_MAX_CHARS } from "../src/domain/pages.ts";
import { fanOutMisses, logger, percentile, quick, round, TARGETS, timed } from "./common.ts";
import { LOOPBACK, runFanOut } from "./fan-out.ts";

export const NATIONAL = {
  plans: 60,
  communePlans: 10,
  agencies: [10, 30] as const,
  duties: [20, 40] as const,
  communes: 3_321,
  contactsPerAgency: 2,
  reports: 5_000,
  overdueViews: 50,
};
const QUICK = { ...NATIONAL, plans: 8, communePlans: 2, communes: 100, reports: 300, overdueViews: 10 };

/** The measured 08:00: a Tuesday, ten working days after the oldest overdue deadline below. */
export const NATIONAL_DAY: LocalDate = "2026-12-08";
export const NATIONAL_AT = localDateTime(NATIONAL_DAY, "08:00");

/** Provincial bodies a plan may assign duties to; the directory grows by those it lacks. */
const BODIES = [
  "Sở Nội vụ",
  "Sở Tài chính",
  "Thanh tra tỉnh",
  "Bảo hiểm xã hội tỉnh",
  "Thuế Đồng Nai",
  "Ban Quản lý các Khu Công nghiệp, Khu kinh tế Đồng Nai",
  "Báo và Phát thanh, Truyền hình Đồng Nai",
  "Liên đoàn Lao động tỉnh",
  "Công an tỉnh",
  "Sở Y tế",
  "Sở Giáo dục và Đào tạo",
  "Sở Xây dựng",
  "Sở Công Thương",
  "Sở Nông nghiệp và Môi trường",
  "Sở Khoa học và Công nghệ",
  "Sở Văn hóa, Thể thao và Du lịch",
  "Sở Tư pháp",
  "Sở Ngoại vụ",
  "Sở Dân tộc và Tôn giáo",
  "Văn phòng Ủy ban nhân dân tỉnh",
  "Bộ Chỉ huy Quân sự tỉnh",
  "Kho bạc Nhà nước khu vực XVII",
  "Thống kê tỉnh",
  "Tỉnh Đoàn",
  "Hội Liên hiệp Phụ nữ tỉnh",
  "Hội Nông dân tỉnh",
  "Hội Cựu chiến binh tỉnh",
  "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
  "Trường Chính trị tỉnh",
  "Trung tâm Phục vụ hành chính công tỉnh",
  "Quỹ Đầu tư phát triển tỉnh",
  "Công ty Điện lực Đồng Nai",
  "Viễn thông Đồng Nai",
  "Bưu điện tỉnh",
  "Ban Quản lý dự án đầu tư xây dựng tỉnh",
  "Liên minh Hợp tác xã tỉnh",
];
const COMMUNES = "Ủy ban nhân dân cấp xã";
const LETTERS = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k"];

/** A small deterministic generator: the same data on every run and every machine. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}

/** Deadlines with a point at NATIONAL_AT: T-30, T-14, T-7, T-3, T-1, and overdue-1 … overdue-5. */
function deadlines(): LocalDate[] {
  const before = [30, 14, 7, 3, 1].map((n) => addDays(NATIONAL_DAY, n));
  const overdue: LocalDate[] = [];
  for (let d = NATIONAL_DAY; overdue.length < 5; d = addDays(d, -1)) {
    if (dayOfWeek(d) !== 0 && dayOfWeek(d) !== 6) overdue.push(d);
  }
  return [...before, ...overdue];
}

function planDocument(n: number, withCommunes: boolean, size: typeof NATIONAL, seed: number): ParsedPlan {
  const rnd = random(seed);
  const count = rnd.int(...size.agencies) - (withCommunes ? 1 : 0);
  const pool = [...BODIES];
  const names: string[] = [];
  while (names.length < count) names.push(pool.splice(rnd.int(0, pool.length - 1), 1)[0]!);
  if (withCommunes) names.push(COMMUNES);
  const duties = rnd.int(...size.duties);
  const agencies: ParsedAgency[] = names.map((name, i) => ({
    code: `IV.${i + 1}`,
    name,
    requested: false,
    duties: [],
  }));
  for (let k = 0; k < Math.max(duties, agencies.length); k++) {
    const agency = agencies[k < agencies.length ? k : rnd.int(0, agencies.length - 1)]!;
    if (agency.duties.length >= LETTERS.length) continue;
    const letter = LETTERS[agency.duties.length]!;
    agency.duties.push({
      code: `${agency.code}.${letter}`,
      text: `Chủ trì triển khai nội dung ${k + 1} của kế hoạch số ${n}; báo cáo kết quả về Sở Nội vụ.`,
    });
  }
  const all = deadlines();
  return {
    title: `Kế hoạch số ${n} năm 2026 về nhiệm vụ trọng tâm ${n}`,
    province: "Đồng Nai",
    year: 2026,
    documentNumber: `${100 + n}/KH-UBND`,
    reportDeadline: all[n % all.length]!,
    indicators: [],
    agencies,
    warnings: [],
  };
}

export interface NationalData {
  url: string;
  plans: { id: number; code: string; deadline: LocalDate }[];
  contacts: number;
  agencies: number;
  communeUnits: number;
}

/** Builds the 60 plans, the commune groups and the contacts. The bundled plan is closed. */
export async function buildNational(url: string, quick: boolean): Promise<NationalData> {
  const size = quick ? QUICK : NATIONAL;
  await migrateDatabase(url, (db) => seedBundle(db, logger));
  const db = createDb(url);
  try {
    await seedBundle(db, logger);
    await db.plan.updateMany({ where: { active: true }, data: { active: false, closedAt: new Date() } });
    const csv = readFileSync(new URL("data/viet-nam-cap-xa.csv", import.meta.url), "utf8");
    const communes = parseMembersCsv(csv).slice(0, size.communes);
    const every = Math.floor(size.plans / size.communePlans);
    const plans: NationalData["plans"] = [];
    for (let n = 1; n <= size.plans; n++) {
      const withCommunes = n % every === 0 && plans.filter((p) => p.code.startsWith("KHX")).length < size.communePlans;
      const doc = planDocument(n, withCommunes, size, n * 7919);
      // Codes end in two digits, as people type them before a report (BHXH26 3a xong).
      const code = `${withCommunes ? "KHX" : "KH"}${String(n).padStart(2, "0")}`;
      const { planId } = await importPlan(db, doc, { code, createAgencies: true });
      if (withCommunes) await addMembers(db, planId, doc.agencies.at(-1)!.code, communes);
      plans.push({ id: planId, code, deadline: doc.reportDeadline });
    }
    const assigned = await db.directoryAgency.findMany({
      where: { assignments: { some: { plan: { active: true } } }, code: { not: "UBNDXA" } },
      select: { id: true },
    });
    const createdAt = new Date();
    for (let k = 0; k < size.contactsPerAgency; k++) {
      await db.person.createMany({
        data: assigned.map((a) => ({
          displayName: `Đầu mối ${k + 1} của ${a.id}`,
          role: "contact",
          directoryAgencyId: a.id,
          createdAt,
        })),
      });
    }
    const coordinator = await db.person.create({ data: { displayName: "Điều phối", role: "coordinator", createdAt } });
    const people = await db.person.findMany({ select: { id: true } });
    await db.identity.createMany({
      data: people.map((p) => ({
        personId: p.id,
        platform: "telegram",
        userId: String(100_000 + p.id),
        chatId: String(100_000 + p.id),
        displayName: p.id === coordinator.id ? "Điều phối" : `Người ${p.id}`,
        createdAt,
      })),
    });
    return {
      url,
      plans,
      contacts: people.length - 1,
      agencies: await db.agency.count({ where: { plan: { active: true } } }),
      communeUnits: communes.length,
    };
  } finally {
    await db.$disconnect();
  }
}

interface Assignment {
  plan: string;
  short: string;
  userId: string;
}

/** Who can report what: each contact with a duty of their agency's, in a plan that names it. */
async function reportable(db: Db): Promise<Assignment[]> {
  // Read flat and joined here: a nested select over 34,000 agencies passes SQLite's variable limit.
  const plans = new Map((await db.plan.findMany({ where: { active: true } })).map((p) => [p.id, p.code]));
  const agencies = await db.agency.findMany({
    where: { planId: { in: [...plans.keys()] }, withdrawn: false },
    select: { id: true, planId: true, directoryId: true, parentId: true },
  });
  const duties = new Map<number, string>();
  for (const d of await db.duty.findMany({ where: { withdrawn: false }, orderBy: { id: "asc" } }))
    if (!duties.has(d.agencyId)) duties.set(d.agencyId, d.code);
  const people = await db.person.findMany({
    where: { role: "contact" },
    select: { directoryAgencyId: true, identities: { select: { userId: true } } },
  });
  const byDirectory = new Map<number, string[]>();
  for (const p of people)
    byDirectory.set(p.directoryAgencyId!, [...(byDirectory.get(p.directoryAgencyId!) ?? []), p.identities[0]!.userId]);
  return agencies.flatMap((a) => {
    const duty = duties.get(a.id) ?? (a.parentId === null ? undefined : duties.get(a.parentId));
    if (!duty) return [];
    const short = duty.replace(/^IV\.(\d+)\.(.+)$/u, "$1$2");
    return (byDirectory.get(a.directoryId) ?? []).map((userId) => ({ plan: plans.get(a.planId)!, short, userId }));
  });
}

/** One-line reports from contacts across the plans, each with its plan code first. */
async function inbound(app: App, clock: ManualClock, count: number) {
  const all = await reportable(app.db);
  const rnd = random(11);
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const a = all[rnd.int(0, all.length - 1)]!;
    clock.advance(50);
    const [replies, ms] = await timed(() =>
      app.core.handle({
        kind: "text",
        from: { platform: "telegram", userId: a.userId, chatId: a.userId, displayName: "x" },
        text: `${a.plan} ${a.short} ${(i % 99) + 1}% đang thực hiện: tiến độ tuần này`,
      }),
    );
    if (!replies[0]?.text.includes("Đã ghi nhận")) throw new Error(`report ${i} refused: ${replies[0]?.text}`);
    latencies.push(ms);
  }
  const sorted = latencies.sort((x, y) => x - y);
  return {
    reports: count,
    perSecond: round(count / ((performance.now() - started) / 1000), 0),
    p50Ms: round(percentile(sorted, 50), 2),
    p95Ms: round(percentile(sorted, 95), 2),
    p99Ms: round(percentile(sorted, 99), 2),
  };
}

/** The coordinator's `/quahan` without a plan code: every followed plan's overdue agencies. */
async function overdueView(app: App, times: number) {
  const coordinator = await app.db.identity.findFirstOrThrow({ where: { person: { role: "coordinator" } } });
  const latencies: number[] = [];
  let characters = 0;
  let messages = 0;
  for (let i = 0; i < times; i++) {
    const [replies, ms] = await timed(() =>
      app.core.handle({
        kind: "command",
        from: { platform: "telegram", userId: coordinator.userId, chatId: coordinator.chatId, displayName: "x" },
        command: "quahan",
        args: "",
      }),
    );
    latencies.push(ms);
    messages = replies.length;
    characters = Math.max(...replies.map((r) => r.text.length));
  }
  const sorted = latencies.sort((x, y) => x - y);
  return {
    views: times,
    messages,
    longestMessage: characters,
    p50Ms: round(percentile(sorted, 50), 1),
    p95Ms: round(percentile(sorted, 95), 1),
  };
}

/** Nobody gets two pushes for one minute: the reminders due at `at`, counted per person. */
async function pushesPerPerson(db: Db, at: Date) {
  const rows = await db.outboxMessage.findMany({
    where: { kind: "reminder", status: "pending", dueAt: at },
    select: { personId: true, key: true },
  });
  const perPerson = new Map<number, number>();
  for (const r of rows) perPerson.set(r.personId, (perPerson.get(r.personId) ?? 0) + 1);
  return {
    pushes: rows.length,
    merged: rows.filter((r) => r.key.startsWith("merged:")).length,
    people: perPerson.size,
    peopleWithTwo: [...perPerson.values()].filter((n) => n > 1).length,
  };
}

/**
 * Reports two days before, a pass the evening before (which records every older point as
 * expired, as a running bot has), then the measured 08:00 pass and the overdue view after it.
 */
export async function measureNational(
  url: string,
  quick: boolean,
  /** Around the measured pass only: a profiler started and stopped there (bench/profile-planning.ts). */
  around?: { before(): Promise<void>; after(): Promise<void> },
) {
  const size = quick ? QUICK : NATIONAL;
  const clock = createManualClock(parseIsoInstant(`${addDays(NATIONAL_DAY, -2)}T09:00`)!);
  const app = await createApp({ config: loadConfig({ DATABASE_URL: url }), logger, clock, channels: [] });
  try {
    const reports = await inbound(app, clock, size.reports);
    const evening = parseIsoInstant(`${addDays(NATIONAL_DAY, -1)}T21:00`)!;
    clock.set(evening);
    await app.reminders.plan(evening);
    clock.set(NATIONAL_AT);
    await around?.before();
    const [planned, ms] = await timed(() => app.reminders.plan(NATIONAL_AT));
    await around?.after();
    const pushes = await pushesPerPerson(app.db, NATIONAL_AT);
    clock.set(parseIsoInstant(`${NATIONAL_DAY}T09:00`)!);
    const overdue = await overdueView(app, size.overdueViews);
    return {
      at: toIsoLocal(NATIONAL_AT),
      inbound: reports,
      planning: { ms: Math.round(ms), due: planned.due.length, ...pushes },
      overdue,
    };
  } finally {
    await app.close();
  }
}

/** Built, measured, and its merged pushes sent to a Bot API stand-in on loopback. */
export async function runNational(url: string) {
  const data = await buildNational(url, quick);
  const measured = await measureNational(data.url, quick);
  const fanOut = await runFanOut({ url: data.url, at: NATIONAL_AT, logger, quick, network: LOOPBACK });
  return {
    url: data.url,
    plans: data.plans.length,
    agencies: data.agencies,
    communes: data.communeUnits,
    contacts: data.contacts,
    ...measured,
    fanOut,
  };
}

/** What the national case missed; the quick run (CI) only what is wrong at any speed. */
export function nationalMisses(n: Awaited<ReturnType<typeof runNational>> & { idleRssMb?: number }): string[] {
  return [
    n.planning.peopleWithTwo > 0 && `national: ${n.planning.peopleWithTwo} people with two pushes at 08:00`,
    n.planning.people !== n.planning.pushes && `national: ${n.planning.pushes} pushes for ${n.planning.people} people`,
    n.planning.people !== n.contacts && `national: ${n.planning.people} of ${n.contacts} contacts reminded`,
    n.overdue.longestMessage > VIEW_MAX_CHARS &&
      `national: a /quahan message of ${n.overdue.longestMessage} characters`,
    ...fanOutMisses("national, merged pushes, loopback", n.fanOut),
    !quick && n.planning.ms >= TARGETS.planningMs && `national: planning ${n.planning.ms} ms`,
    !quick && n.overdue.p95Ms >= TARGETS.overdueViewP95Ms && `national: /quahan p95 ${n.overdue.p95Ms} ms`,
    !quick && n.inbound.p99Ms >= TARGETS.inboundP99Ms && `national: inbound p99 ${n.inbound.p99Ms} ms`,
    !quick && n.idleRssMb !== undefined && n.idleRssMb >= TARGETS.idleRssMb && `national: idle RSS ${n.idleRssMb} MB`,
  ].filter((m): m is string => typeof m === "string");
}
