import { createRequire } from "node:module";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OutgoingMessage } from "../../src/model/messages.ts";
import { createOutboxNotifier, enqueue, messageOf, type OutboxItem } from "../../src/delivery/outbox.ts";
import { messagesFor } from "../../src/i18n/index.ts";
import { createTestBot, texts, type TestBot } from "../helpers/bot.ts";
import { HOUR, choiceValues, joinTwoCoordinators, lastReportBy, personOf, submitReport } from "../helpers/bot-steps.ts";
import { onPostgres, tableSnapshot } from "../helpers/db.ts";
import { createDb } from "../../src/db/db.ts";

// A record and the notifications announcing it are stored in one transaction: when queuing fails,
// neither stands and the person is told nothing was recorded; when it works, both do, and the
// sender is started only once they are committed.

const APOLOGY = messagesFor("vi").bot.internalError;

/**
 * A second connection: it sees only what has been committed. On SQLite it is read-only and its one
 * short read runs synchronously, so it never waits on the bot's connection holding the write lock;
 * on PostgreSQL the count is asked for at once and read under READ COMMITTED.
 */
interface Reader {
  committedOutboxRows(): number | Promise<number>;
  close(): Promise<void>;
}
const Database = createRequire(import.meta.url)("better-sqlite3") as new (
  path: string,
  options: { readonly: boolean },
) => { prepare(sql: string): { get(): unknown }; close(): void };

function createReader(url: string): Reader {
  if (onPostgres) {
    const db = createDb(url, { poolSize: 1 });
    return { committedOutboxRows: () => db.outboxMessage.count(), close: () => db.$disconnect() };
  }
  const conn = new Database(url.slice("file:".length), { readonly: true });
  return {
    committedOutboxRows: () => (conn.prepare('SELECT COUNT(*) AS n FROM "OutboxMessage"').get() as { n: number }).n,
    close: async () => conn.close(),
  };
}

/** A trigger that makes the database itself refuse the outbox's insert. */
const REFUSE_OUTBOX = onPostgres
  ? [
      `CREATE OR REPLACE FUNCTION outbox_refuses() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'outbox refuses'; END $$ LANGUAGE plpgsql`,
      `CREATE TRIGGER "outbox_refuses" BEFORE INSERT ON "OutboxMessage" FOR EACH ROW EXECUTE FUNCTION outbox_refuses()`,
    ]
  : [
      `CREATE TRIGGER "outbox_refuses" BEFORE INSERT ON "OutboxMessage" BEGIN SELECT RAISE(ABORT, 'outbox refuses'); END`,
    ];
const DROP_REFUSAL = onPostgres
  ? 'DROP TRIGGER IF EXISTS "outbox_refuses" ON "OutboxMessage"'
  : 'DROP TRIGGER IF EXISTS "outbox_refuses"';

type Failure = "notify rejects after queuing" | "the outbox refuses the rows";
const FAILURES: readonly Failure[] = ["notify rejects after queuing", "the outbox refuses the rows"];

interface Rig {
  bot: TestBot;
  coordinatorIds: number[];
  /** Outbox rows the other connection saw committed, each time the sender was started. */
  kicks: Promise<number>[];
  /** Outbox rows inside the transaction when the notifier rejected, after queuing its own. */
  seenInside: number[];
  fail(how: Failure | null): Promise<void>;
  outboxCount(): Promise<number>;
}

async function createRig(): Promise<{ rig: Rig; close: () => Promise<void> }> {
  let failure: Failure | null = null;
  const kicks: Promise<number>[] = [];
  const seenInside: number[] = [];
  let reader: Reader | null = null;
  const committedOutboxRows = () => reader!.committedOutboxRows();
  const bot = await createTestBot({
    members: false,
    notifier: (db, clock) => {
      const outbox = createOutboxNotifier({
        db,
        clock,
        onQueued: () => kicks.push(Promise.resolve(committedOutboxRows())),
      });
      return {
        async notify(items, within) {
          await outbox.notify(items, within);
          if (failure === "notify rejects after queuing") {
            seenInside.push(await (within?.tx ?? db).outboxMessage.count());
            throw new Error("notifier down");
          }
        },
      };
    },
  });
  reader = createReader(bot.url);
  const coordinatorIds = await joinTwoCoordinators(bot);
  await bot.join("bhxh", "IV.4", "Quang BHXH");
  const rig: Rig = {
    bot,
    coordinatorIds,
    kicks,
    seenInside,
    outboxCount: () => bot.db.outboxMessage.count(),
    async fail(how) {
      failure = how;
      await bot.db.$executeRawUnsafe(DROP_REFUSAL);
      if (how === "the outbox refuses the rows") {
        // A refusal by the database itself, inside the outbox's own insert.
        for (const statement of REFUSE_OUTBOX) await bot.db.$executeRawUnsafe(statement);
      }
    },
  };
  return {
    rig,
    close: async () => {
      await reader?.close();
      await bot.db.$disconnect();
    },
  };
}

interface Queued {
  personId: number;
  kind: string;
  text: string;
}

interface Scenario {
  name: string;
  /** What has to happen before the step under test; goes through as usual. */
  prepare?(rig: Rig): Promise<void>;
  /** The step that stores a record and queues the notifications announcing it. */
  act(rig: Rig): Promise<OutgoingMessage[]>;
  /** What the step stored when it went through: the record, its reply, the rows it queued. */
  stored(rig: Rig, reply: string, queued: Queued[]): Promise<void>;
}

async function expectBlockedReport(rig: Rig, reply: string, queued: Queued[]): Promise<void> {
  const report = await lastReportBy(rig.bot, "bhxh");
  expect(report).toMatchObject({ status: "blocked", note: "Thiếu dữ liệu", duty: { code: "IV.4.b" } });
  const difficulty = await rig.bot.db.difficulty.findFirstOrThrow({ where: { reportId: report.id } });
  expect(difficulty.text).toBe("Thiếu dữ liệu");
  expect(reply).toContain("IV.4.b");
  expect(queued.map((q) => q.personId).sort()).toEqual(rig.coordinatorIds);
  for (const q of queued) {
    expect(q.kind).toBe("notification");
    expect(q.text).toContain(`Vướng mắc #${difficulty.id} từ IV.4 Bảo hiểm xã hội tỉnh, nhiệm vụ IV.4.b`);
  }
}

async function latestDifficultyId(rig: Rig): Promise<number> {
  return (await rig.bot.db.difficulty.findFirstOrThrow({ orderBy: { id: "desc" } })).id;
}

async function submissionsOfBhxh(rig: Rig) {
  return rig.bot.db.submission.findMany({
    where: { agency: { code: "IV.4" } },
    include: { items: true },
    orderBy: { id: "asc" },
  });
}

const SCENARIOS: Scenario[] = [
  {
    name: "a one-line blocked report and its difficulty",
    act: ({ bot }) => bot.send("bhxh", "4b vướng: Thiếu dữ liệu"),
    stored: expectBlockedReport,
  },
  {
    name: "the guided report's last step, blocked",
    async prepare({ bot }) {
      await bot.send("bhxh", "/baocao");
      await bot.choose("bhxh", "report:duty:IV.4.b");
      expect(texts(await bot.choose("bhxh", "report:status:blocked"))).toContain("Mô tả ngắn vướng mắc");
    },
    act: ({ bot }) => bot.send("bhxh", "Thiếu dữ liệu"),
    async stored(rig, reply, queued) {
      await expectBlockedReport(rig, reply, queued);
      expect(await rig.bot.db.conversation.count()).toBe(0);
    },
  },
  {
    name: "a submission superseding the previous one",
    async prepare({ bot }) {
      await submitReport(bot, "bhxh", "1/BC-BHXH");
      bot.clock.advance(HOUR);
      expect(choiceValues(await bot.send("bhxh", "/nopbaocao 2/BC-BHXH"))).toContain("submit:confirm");
    },
    act: ({ bot }) => bot.choose("bhxh", "submit:confirm"),
    async stored(rig, reply, queued) {
      const [first, second, ...more] = await submissionsOfBhxh(rig);
      expect(more).toEqual([]);
      expect(first).toMatchObject({ documentNumber: "1/BC-BHXH", supersededAt: rig.bot.clock.now() });
      expect(second).toMatchObject({ documentNumber: "2/BC-BHXH", supersededAt: null, reopenedAt: null });
      expect(second!.items).toHaveLength(7);
      expect(reply).toContain("Đã nộp báo cáo của Bảo hiểm xã hội tỉnh");
      expect(queued.map((q) => q.personId).sort()).toEqual(rig.coordinatorIds);
      for (const q of queued) {
        expect(q.kind).toBe("notification");
        expect(q.text).toContain("IV.4 Bảo hiểm xã hội tỉnh đã nộp báo cáo");
        expect(q.text).toContain("Văn bản số 2/BC-BHXH.");
      }
    },
  },
  {
    name: "a difficulty raised with /vuongmac",
    act: ({ bot }) => bot.send("bhxh", "/vuongmac Thiếu dữ liệu doanh nghiệp"),
    async stored(rig, reply, queued) {
      const difficulty = await rig.bot.db.difficulty.findFirstOrThrow({ orderBy: { id: "desc" } });
      expect(difficulty).toMatchObject({
        text: "Thiếu dữ liệu doanh nghiệp",
        personId: (await personOf(rig.bot, "bhxh")).id,
        reportId: null,
        resolvedAt: null,
      });
      expect(reply).toContain(`Đã ghi nhận vướng mắc #${difficulty.id}`);
      expect(queued.map((q) => q.personId).sort()).toEqual(rig.coordinatorIds);
      for (const q of queued) {
        expect(q.kind).toBe("notification");
        expect(q.text).toContain(`Vướng mắc #${difficulty.id} từ IV.4 Bảo hiểm xã hội tỉnh (Quang BHXH)`);
      }
    },
  },
  {
    name: "a difficulty resolved with /giaiquyet",
    async prepare({ bot }) {
      expect(texts(await bot.send("bhxh", "/vuongmac Thiếu dữ liệu"))).toContain("Đã ghi nhận vướng mắc");
    },
    act: async (rig) => rig.bot.send("coord-1", `/giaiquyet ${await latestDifficultyId(rig)} Đã xử lý`),
    async stored(rig, reply, queued) {
      const difficulty = await rig.bot.db.difficulty.findFirstOrThrow({ orderBy: { id: "desc" } });
      expect(difficulty).toMatchObject({
        resolvedAt: rig.bot.clock.now(),
        resolvedById: (await personOf(rig.bot, "coord-1")).id,
        resolution: "Đã xử lý",
      });
      expect(reply).toContain(`Đã đóng vướng mắc #${difficulty.id}`);
      expect(queued).toEqual([
        {
          personId: (await personOf(rig.bot, "bhxh")).id,
          kind: "notification",
          text: `Sở Nội vụ đã trả lời vướng mắc #${difficulty.id} ("Thiếu dữ liệu"):\nĐã xử lý`,
        },
      ]);
    },
  },
  {
    name: "a submission reopened with /molai",
    async prepare({ bot }) {
      await submitReport(bot, "bhxh");
      bot.clock.advance(HOUR);
    },
    act: ({ bot }) => bot.send("coord-1", "/molai IV.4 Đề nghị bổ sung số liệu"),
    async stored(rig, reply, queued) {
      const [submission, ...more] = await submissionsOfBhxh(rig);
      expect(more).toEqual([]);
      expect(submission).toMatchObject({
        reopenedAt: rig.bot.clock.now(),
        reopenedById: (await personOf(rig.bot, "coord-1")).id,
        reopenComment: "Đề nghị bổ sung số liệu",
      });
      expect(reply).toContain("Đã mở lại báo cáo của Bảo hiểm xã hội tỉnh");
      expect(queued.map((q) => [q.personId, q.kind])).toEqual([[(await personOf(rig.bot, "bhxh")).id, "notification"]]);
      expect(queued[0]!.text).toContain('"Đề nghị bổ sung số liệu"');
    },
  },
];

describe.each(SCENARIOS)("$name", (scenario) => {
  let rig: Rig;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ rig, close } = await createRig());
    await scenario.prepare?.(rig);
    rig.kicks.length = 0;
  });
  afterEach(async () => close());

  /** Runs the step expecting it to go through, and checks what it stored and when the sender started. */
  async function goesThrough(): Promise<void> {
    const lastId = (await rig.bot.db.outboxMessage.findFirst({ orderBy: { id: "desc" } }))?.id ?? 0;
    const kicksBefore = rig.kicks.length;
    const reply = texts(await scenario.act(rig));
    const rows = await rig.bot.db.outboxMessage.findMany({ where: { id: { gt: lastId } }, orderBy: { id: "asc" } });
    expect(rows.length).toBeGreaterThan(0);
    await scenario.stored(
      rig,
      reply,
      rows.map((r) => ({ personId: r.personId, kind: r.kind, text: messageOf(r).text })),
    );
    // Started once, and by then another connection already saw every row: after the commit.
    expect(await Promise.all(rig.kicks.slice(kicksBefore))).toEqual([await rig.outboxCount()]);
  }

  it("stores the record with its notifications and starts the sender after the commit", async () => {
    await goesThrough();
  });

  it.each(FAILURES)("stores neither the record nor a notification when %s", async (failure) => {
    await rig.fail(failure);
    const before = await tableSnapshot(rig.bot.db);
    const outboxBefore = await rig.outboxCount();
    const reply = texts(await scenario.act(rig));
    expect(reply).toBe(APOLOGY);
    expect(await tableSnapshot(rig.bot.db)).toEqual(before);
    expect(rig.kicks).toEqual([]);
    if (failure === "notify rejects after queuing") {
      // The rows were written, inside the transaction, and went with it.
      expect(rig.seenInside).toHaveLength(1);
      expect(rig.seenInside[0]).toBeGreaterThan(outboxBefore);
    }
    // Nothing half-done is left in the way: the same step goes through once queuing works.
    await rig.fail(null);
    await goesThrough();
  });
});

describe("enqueue inside a transaction", () => {
  let rig: Rig;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ rig, close } = await createRig());
  });
  afterEach(async () => close());

  it("skips keys already queued, and a key repeated in the batch, without failing the transaction", async () => {
    const { db, clock } = rig.bot;
    const personId = rig.coordinatorIds[0]!;
    const item = (key: string, text: string): OutboxItem => ({
      key,
      kind: "notification",
      personId,
      message: { text },
      dueAt: clock.now(),
    });
    await enqueue(db, clock.now(), [item("taken", "đã có")]);
    // SQLite carries on after a refused insert, PostgreSQL aborts the transaction: so no statement
    // on the outbox may be refused at all, which the transaction's client is watched for.
    const refused: unknown[] = [];
    const created = await db.$transaction(async (tx) => {
      const outbox = tx.outboxMessage;
      const watched = new Proxy(outbox, {
        get(target, method) {
          const value: unknown = Reflect.get(target, method);
          if (typeof value !== "function") return value;
          return (...args: unknown[]) =>
            (value.apply(target, args) as Promise<unknown>).catch((error: unknown) => {
              refused.push(error);
              throw error;
            });
        },
      });
      const client = new Proxy(tx, {
        get: (target, key) => (key === "outboxMessage" ? watched : Reflect.get(target, key)),
      });
      const keys = await enqueue(client, clock.now(), [
        item("taken", "lần hai"),
        item("new", "mới"),
        item("new", "trùng"),
      ]);
      await tx.person.update({ where: { id: personId }, data: { locale: "en" } });
      return keys;
    });
    expect(refused).toEqual([]);
    expect([...created]).toEqual(["new"]);
    const rows = await db.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.key, messageOf(r).text])).toEqual([
      ["taken", "đã có"],
      ["new", "mới"],
    ]);
    expect((await db.person.findUniqueOrThrow({ where: { id: personId } })).locale).toBe("en");
  });
});

describe("a sender that fails to start after the commit", () => {
  it("leaves the record and its queued notifications standing, and tells the person it was recorded", async () => {
    const bot = await createTestBot({
      members: false,
      notifier: (db, clock) =>
        createOutboxNotifier({
          db,
          clock,
          onQueued: () => {
            throw new Error("sender down");
          },
        }),
    });
    try {
      const coordinatorIds = await joinTwoCoordinators(bot);
      await bot.join("bhxh", "IV.4");
      const reply = texts(await bot.send("bhxh", "/vuongmac Thiếu dữ liệu"));
      const difficulty = await bot.db.difficulty.findFirstOrThrow({ where: { text: "Thiếu dữ liệu" } });
      expect(reply).toContain(`Đã ghi nhận vướng mắc #${difficulty.id}`);
      const rows = await bot.db.outboxMessage.findMany({ where: { status: "pending" } });
      expect(rows.map((r) => r.personId).sort()).toEqual(coordinatorIds);
    } finally {
      await bot.db.$disconnect();
    }
  });
});
