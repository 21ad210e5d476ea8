import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { toEvent } from "../adapters/console/console-chat.ts";
import { createTestDb, tableSnapshot, type TestDb } from "./helpers/db.ts";

const root = new URL("..", import.meta.url).pathname;
const tsx = join(root, "node_modules/.bin/tsx");

/** The real CLI in its own process, the way an admin runs it: npm run --silent cli -- ... */
function cli(url: string, args: string[], input = "") {
  const result = spawnSync(tsx, ["src/cli.ts", ...args], {
    cwd: root,
    input,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "silent" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("scripted sessions piped into `cli chat`", () => {
  let t: TestDb;
  beforeAll(() => {
    t = createTestDb();
  });
  afterAll(async () => t.db.$disconnect());

  it("a person without an invite gets the join explanation and nothing is stored", () => {
    const first = cli(t.url, ["status", "--json"]); // seeds the bundled plan
    expect(first.code).toBe(0);
    return (async () => {
      const before = await tableSnapshot(t.db);
      const r = cli(t.url, ["chat", "--user", "stranger"], "/nhiemvu\nIV.4.b 60%\n/nopbaocao\n1\n");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("/start");
      expect(r.stdout).toContain("mã mời");
      expect(await tableSnapshot(t.db)).toEqual(before);
    })();
  });

  it("a new contact joins with a CLI invite, reports and submits; `status --json` shows it", async () => {
    const invite = cli(t.url, ["invite", "create", "--agency", "IV.4", "--json"]);
    expect(invite.code).toBe(0);
    const created = JSON.parse(invite.stdout);
    expect(created).toMatchObject({ agency: "IV.4", role: "contact" });
    expect(created.code).toMatch(/^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);
    expect(created.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);

    const coordinator = JSON.parse(cli(t.url, ["invite", "create", "--role", "coordinator", "--json"]).stdout);
    expect(coordinator.agency).toBeNull();
    expect(
      cli(
        t.url,
        ["chat", "--user", "lan", "--name", "Chị Lan", "--now", "2026-11-25T09:00"],
        `/start ${coordinator.code}\n`,
      ).stdout,
    ).toContain("điều phối viên");

    const script = [
      `/start ${created.code.toLowerCase()}`,
      "IV.4.b 60% đang thực hiện: đã kết nối dữ liệu với 95 xã",
      "4đ xong",
      "/baocao",
      "1", // IV.4.a
      "2", // in progress
      "45",
      "1", // skip the note
      "/nopbaocao 123/BC-BHXH 10/12/2026",
      "1", // Gửi báo cáo
    ].join("\n");
    const session = cli(
      t.url,
      ["chat", "--user", "minh", "--name", "Anh Minh", "--now", "2026-11-25T09:00"],
      `${script}\n`,
    );
    expect(session.code).toBe(0);
    expect(session.stdout).toContain("đầu mối của Bảo hiểm xã hội tỉnh");
    expect(session.stdout).toContain("  1) Gửi báo cáo\n  2) Hủy");
    expect(session.stdout).toContain("Đã nộp báo cáo của Bảo hiểm xã hội tỉnh");
    // The coordinator's notification goes to stderr, prefixed with the recipient.
    expect(session.stderr).toMatch(/\[→ Chị Lan #\d+ console:lan\] 📥 IV\.4 Bảo hiểm xã hội tỉnh đã nộp báo cáo/);

    const status = cli(t.url, ["status", "--json"]);
    expect(status.code).toBe(0);
    const json = JSON.parse(status.stdout);
    expect(json.reportDeadline).toBe("2026-12-15");
    const iv4 = json.agencies.find((a: { code: string }) => a.code === "IV.4");
    expect(iv4).toMatchObject({ name: "Bảo hiểm xã hội tỉnh", parent: null, contacts: 1, submitted: true });
    const duties = Object.fromEntries(iv4.duties.map((d: { code: string }) => [d.code, d]));
    expect(duties["IV.4.b"]).toMatchObject({
      status: "in_progress",
      percent: 60,
      note: "đã kết nối dữ liệu với 95 xã",
    });
    expect(duties["IV.4.b"].updatedAt).toMatch(/\+07:00$/);
    expect(duties["IV.4.đ"]).toMatchObject({ status: "done", percent: 100 });
    expect(duties["IV.4.d"]).toEqual({
      code: "IV.4.d",
      status: "not_started",
      percent: 0,
      note: null,
      updatedAt: null,
    });
    expect(duties["IV.4.a"]).toMatchObject({ status: "in_progress", percent: 45, note: null });
    expect(json.agencies).toHaveLength(9 + 95);
    expect(json.agencies.find((a: { code: string }) => a.code === "IV.9-25195")).toMatchObject({
      parent: "IV.9",
      submitted: false,
    });
    expect(json.indicators[0]).toMatchObject({
      code: "II.1",
      targetParticipants: 1115590,
      latestParticipants: null,
      latestRatePercent: null,
    });

    const submission = await t.db.submission.findFirstOrThrow({ include: { items: true } });
    expect(submission).toMatchObject({ documentNumber: "123/BC-BHXH", documentDate: "2026-12-10" });
    expect(submission.items).toHaveLength(7);
  });

  it("indicator figures reported in chat show up as the latest rate in `status --json`", async () => {
    const r = cli(t.url, ["chat", "--user", "minh"], "/chitieu II.1 1.120.000\n");
    expect(r.stdout).toContain("95,38%");
    const json = JSON.parse(cli(t.url, ["status", "--json"]).stdout);
    expect(json.indicators[0]).toMatchObject({ latestParticipants: 1120000, latestRatePercent: 95.38 });
  });

  it("lists and deactivates contacts, keeping their history", async () => {
    const list = JSON.parse(cli(t.url, ["contacts", "list", "--agency", "IV.4", "--json"]).stdout);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: "Anh Minh", role: "contact", agency: "IV.4", active: true });
    const reports = await t.db.dutyReport.count();
    const off = cli(t.url, ["contacts", "deactivate", String(list[0].id), "--json"]);
    expect(JSON.parse(off.stdout)).toEqual({ id: list[0].id, active: false });
    expect(await t.db.dutyReport.count()).toBe(reports);
    expect(cli(t.url, ["chat", "--user", "minh"], "/nhiemvu\n").stdout).toContain("ngừng hoạt động");
  });

  it("creates one invite per commune and writes them as a spreadsheet", async () => {
    const file = join(inject("testTmpDir"), "moi-cap-xa.xlsx");
    const r = cli(t.url, ["invite", "create", "--group", "IV.9", "--xlsx", file, "--json"]);
    expect(r.code).toBe(0);
    const invites = JSON.parse(r.stdout);
    expect(invites).toHaveLength(95);
    expect(invites[0]).toMatchObject({ agency: "IV.9-25195", name: "Phường Bình Phước", role: "contact" });
    expect(new Set(invites.map((i: { code: string }) => i.code)).size).toBe(95);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(96);
    expect(sheet.getRow(2).getCell(1).value).toBe("IV.9-25195");
    expect(sheet.getRow(2).getCell(3).value).toBe(invites[0].code);
  });

  it("refuses bad invite options with one clear line and stores nothing", async () => {
    const before = await tableSnapshot(t.db);
    const cases: [string[], RegExp][] = [
      [["invite", "create", "--role", "boss", "--json"], /--role/],
      [["invite", "create", "--json"], /--agency/],
      [["invite", "create", "--agency", "IV.99", "--json"], /Không tìm thấy cơ quan "IV.99"/],
      [["invite", "create", "--agency", "IV.9", "--json"], /--group/],
      [["invite", "revoke", "ABCDE-FGHJK"], /Không có mã mời/],
    ];
    for (const [args, message] of cases) {
      const r = cli(t.url, args);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(await tableSnapshot(t.db)).toEqual(before);
  });
});

describe("settings from a .env file", () => {
  it("are read from the working directory, and the environment wins over them", () => {
    const dir = mkdtempSync(join(inject("testTmpDir"), "env-"));
    writeFileSync(join(dir, ".env"), "DATABASE_URL=file:./from-dotenv.db\nDEFAULT_LOCALE=xx\n");
    const { DATABASE_URL: _url, DEFAULT_LOCALE: _locale, ...withoutSettings } = process.env;
    const run = (env: Record<string, string>) =>
      spawnSync(tsx, [join(root, "src/cli.ts"), "status", "--json"], {
        cwd: dir,
        encoding: "utf8",
        env: { ...withoutSettings, LOG_LEVEL: "silent", ...env },
      });
    const refused = run({});
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("DEFAULT_LOCALE");
    const ok = run({ DEFAULT_LOCALE: "en" });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).reportDeadline).toBe("2026-12-15");
    expect(existsSync(join(dir, "from-dotenv.db"))).toBe(true);
  });
});

describe("console adapter line reading", () => {
  const me = { platform: "console", userId: "u", chatId: "u", displayName: "U" };
  const offered = [
    { label: "Gửi báo cáo", value: "submit:confirm" },
    { label: "Hủy", value: "submit:cancel" },
  ];
  it("a number within the offered choices picks that choice; otherwise it is text", () => {
    expect(toEvent("2", me, offered)).toEqual({ kind: "choice", from: me, value: "submit:cancel" });
    expect(toEvent("3", me, offered)).toEqual({ kind: "text", from: me, text: "3" });
    expect(toEvent("45", me, [])).toEqual({ kind: "text", from: me, text: "45" });
    expect(toEvent("/nopbaocao 12/BC 10/12/2026", me, [])).toEqual({
      kind: "command",
      from: me,
      command: "nopbaocao",
      args: "12/BC 10/12/2026",
    });
    expect(toEvent("   ", me, offered)).toBeNull();
  });
});
