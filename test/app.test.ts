import { setImmediate as nextLoopTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { createManualClock } from "../src/clock.ts";
import { loadConfig } from "../src/config.ts";
import type { Deliverer } from "../src/delivery/types.ts";
import { createLogger } from "../src/logger.ts";
import { createInvite } from "../src/services/invite-service.ts";
import { findAgency, getActivePlan } from "../src/services/plan-service.ts";
import { parseIsoInstant } from "../src/time.ts";
import { createTestDb } from "./helpers/db.ts";

describe("the composed app", () => {
  it("lets a chat event wait for a reminder tick in progress instead of running inside it", async () => {
    const { url, db: testDb } = createTestDb();
    await testDb.$disconnect();
    const clock = createManualClock(parseIsoInstant("2026-11-30T09:00")!);
    let entered!: () => void;
    const deliveryStarted = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const deliverer: Deliverer = {
      deliver: async () => {
        entered();
        await released;
        return { messageId: "m1" };
      },
    };
    const app = await createApp({
      config: loadConfig({ DATABASE_URL: url }),
      logger: createLogger("silent"),
      clock,
      deliverer,
    });
    const plan = await getActivePlan(app.db);
    const agency = await findAgency(app.db, plan.id, "IV.4");
    const { code } = await createInvite(
      { db: app.db, clock, inviteTtlDays: 14 },
      { planId: plan.id, agency, role: "contact" },
    );
    const from = { platform: "test", userId: "u", chatId: "u", displayName: "Võ Thanh" };
    await app.core.handle({ kind: "command", from, command: "start", args: code });

    clock.set(parseIsoInstant("2026-12-01T08:00")!);
    const order: string[] = [];
    const tick = app.tick().then((r) => order.push(`tick:${r.sent.length}`));
    await deliveryStarted;
    const handled = app.core.handle({ kind: "text", from, text: "4b 60%" }).then(() => order.push("event"));
    for (let i = 0; i < 5; i++) await nextLoopTurn();
    expect(order).toEqual([]);
    expect(await app.db.dutyReport.count()).toBe(0);
    release();
    await Promise.all([tick, handled]);
    expect(order).toEqual(["tick:1", "event"]);
    expect(await app.db.dutyReport.count()).toBe(1);
    await app.close();
  });
});
