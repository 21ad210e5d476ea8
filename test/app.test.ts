import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { createManualClock } from "../src/lib/clock.ts";
import { loadConfig } from "../src/config.ts";
import { enqueue } from "../src/delivery/outbox.ts";
import { UNLIMITED, UNPACED, type DeliveryChannel, type DeliveryTarget } from "../src/delivery/types.ts";
import { createLogger } from "../src/lib/logger.ts";
import { createInvite } from "../src/services/invite-service.ts";
import { findAgency, getActivePlan } from "../src/services/plan-service.ts";
import { parseIsoInstant } from "../src/lib/time.ts";
import { createTestDb } from "./helpers/db.ts";

describe("the composed app", () => {
  it("answers a chat event while 500 pushes are still waiting on the platform", async () => {
    const { url, db: testDb } = await createTestDb();
    await testDb.$disconnect();
    const clock = createManualClock(parseIsoInstant("2026-11-30T09:00")!);
    const calls: DeliveryTarget[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let firstCall!: () => void;
    const called = new Promise<void>((resolve) => (firstCall = resolve));
    const channel: DeliveryChannel = {
      name: "test",
      limits: UNLIMITED,
      pace: UNPACED,
      deliver: async (target) => {
        calls.push(target);
        firstCall();
        await released;
        return { messageId: `m${calls.length}` };
      },
    };
    const app = await createApp({
      config: loadConfig({ DATABASE_URL: url }),
      logger: createLogger("silent"),
      clock,
      channels: [channel],
    });
    const plan = await getActivePlan(app.db);
    const agency = await findAgency(app.db, plan.id, "IV.4");
    const { code } = await createInvite({ db: app.db, clock, inviteTtlDays: 14 }, { agency, role: "contact" });
    const from = { platform: "test", userId: "u", chatId: "u", displayName: "Võ Thanh" };
    await app.core.handle({ kind: "command", from, command: "batdau", args: code });

    const now = clock.now();
    const people = [];
    for (let i = 0; i < 500; i++) {
      people.push(
        await app.db.person.create({
          data: {
            displayName: `Người ${i}`,
            role: "contact",
            directoryAgencyId: agency.directoryId,
            createdAt: now,
            identities: {
              create: { platform: "test", userId: `p${i}`, chatId: `p${i}`, displayName: `Người ${i}`, createdAt: now },
            },
          },
        }),
      );
    }
    await enqueue(
      app.db,
      now,
      people.map((p, i) => ({
        key: `t:${i}`,
        kind: "nudge",
        personId: p.id,
        message: { text: `Tin ${i}` },
        dueAt: now,
      })),
    );

    const sending = app.flush();
    await called;
    const replies = await app.core.handle({ kind: "text", from, text: "4b 60%" });
    expect(replies[0]!.text).toContain("IV.4.b");
    expect(await app.db.dutyReport.count()).toBe(1);
    // Every send is still held by the platform, and none is recorded as sent yet.
    expect(await app.db.outboxMessage.count({ where: { status: "sent" } })).toBe(0);
    expect(calls.length).toBeGreaterThan(0);

    release();
    await sending;
    expect(await app.db.outboxMessage.count({ where: { status: "sent", key: { startsWith: "t:" } } })).toBe(500);
    expect(new Set(calls.map((c) => c.userId)).size).toBe(calls.length);
    expect(calls.filter((c) => c.userId.startsWith("p"))).toHaveLength(500);
    expect(await app.db.outboxMessage.count({ where: { claimedBy: { not: null } } })).toBe(0);
    await app.close();
  });
});
