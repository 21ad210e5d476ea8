// Bulk statements (the outbox's national reminder points) go through the driver adapter under the
// Prisma client rather than through Prisma's query compiler. They must still be transactions of
// their own: all or nothing, and on SQLite's single connection never inside a Prisma transaction
// that happens to be open.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerOf } from "../../src/db/db.ts";
import { inDriverTransaction } from "../../src/db/driver-access.ts";
import { createTestDb, onPostgres, type TestDb } from "../helpers/db.ts";

describe("a transaction on the client's driver", () => {
  let t: TestDb;
  let insert: string;
  beforeAll(async () => {
    t = await createTestDb();
    const param = providerOf(t.db) === "postgresql" ? "$1" : "?";
    insert = `INSERT INTO "DirectoryAgency" ("code", "name") VALUES (${param}, 'Thử') RETURNING "code"`;
  });
  afterAll(() => t.db.$disconnect());

  const codes = async (prefix: string) =>
    (await t.db.directoryAgency.findMany({ where: { code: { startsWith: prefix } }, orderBy: { code: "asc" } })).map(
      (d) => d.code,
    );

  it("is not there before Prisma has connected, so callers take Prisma's way", async () => {
    expect(await inDriverTransaction(t.db, async () => 1)).toBeNull();
    await t.db.$queryRawUnsafe("SELECT 1");
    expect(await inDriverTransaction(t.db, async () => 1)).toEqual({ value: 1 });
  });

  it("commits its statements together and returns their rows", async () => {
    const result = await inDriverTransaction(t.db, async (query) => [
      ...(await query(insert, ["OK-1"])),
      ...(await query(insert, ["OK-2"])),
    ]);
    expect(result?.value).toEqual([["OK-1"], ["OK-2"]]);
    expect(await codes("OK-")).toEqual(["OK-1", "OK-2"]);
  });

  it("keeps nothing of a failed transaction, and says why it failed", async () => {
    const failed = inDriverTransaction(t.db, async (query) => {
      await query(insert, ["LOST-1"]);
      await query(insert, ["LOST-1"]); // the unique code refuses it
    });
    await expect(failed).rejects.toThrow();
    expect(await codes("LOST-")).toEqual([]);
    // The connection is usable afterwards, by Prisma and by the driver alike.
    expect((await inDriverTransaction(t.db, (query) => query(insert, ["AFTER-1"])))?.value).toEqual([["AFTER-1"]]);
  });

  it("is not offered inside a Prisma transaction, whose own client must do the work", async () => {
    const inside = await t.db.$transaction((tx) => inDriverTransaction(tx, async () => 1));
    expect(inside).toBeNull();
  });

  it.skipIf(onPostgres)("waits on SQLite for a Prisma transaction that is open on the same connection", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let released = false;
    let written!: () => void;
    const begun = new Promise<void>((resolve) => (written = resolve));
    const prisma = t.db.$transaction(async (tx) => {
      await tx.directoryAgency.create({ data: { code: "WAIT-1", name: "Thử" } });
      written();
      await gate;
      released = true;
    });
    // The Prisma transaction has begun and written before the driver asks for its turn.
    await begun;
    const driver = inDriverTransaction(t.db, async (query) => {
      const ranAfterRelease = released;
      await query(insert, ["WAIT-2"]);
      return ranAfterRelease;
    });
    open();
    await prisma;
    expect((await driver)?.value).toBe(true);
    expect(await codes("WAIT-")).toEqual(["WAIT-1", "WAIT-2"]);
  });
});
