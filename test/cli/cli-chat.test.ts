// The admin CLI end to end: commands and scripted chat sessions piped into `cli chat`. Each step
// runs the CLI in this process, as `npm run cli` would; one scenario and the .env check start it as
// a real process, since only a process shows what piping a script in and reading a working
// directory's .env really do. Starting tsx costs seconds on a loaded machine, so they start few.
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from "vitest";
import { toEvent } from "../../adapters/console/console-chat.ts";
import { runCli } from "../../src/cli/index.ts";
import { createDb } from "../../src/db/db.ts";
import { createTestDb, onPostgres, tableSnapshot, type TestDb } from "../helpers/db.ts";
import { PROCESS_TEST_TIMEOUT, root, tsx } from "../helpers/processes.ts";
import { SECOND_PLAN_PATH } from "../helpers/second-plan.ts";

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI in this process: same arguments, same output streams, `input` piped in as standard input. */
async function cli(url: string, args: string[], input = ""): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(
    args,
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), stdin: Readable.from([input]) },
    { DATABASE_URL: url, LOG_LEVEL: "silent" },
  );
  return { code, stdout, stderr };
}

/** The real CLI in its own process, the way an admin runs it: npm run --silent cli -- ... */
function cliProcess(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string }) {
  return new Promise<CliResult>((resolve, reject) => {
    const child = spawn(tsx, [join(root, "src/cli/index.ts"), ...args], { cwd: options.cwd, env: options.env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (t: string) => (stdout += t));
    child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr += t));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

describe("scripted sessions piped into `cli chat`", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => t.db.$disconnect());

  it("a person without an invite gets the join explanation and nothing is stored", async () => {
    const first = await cli(t.url, ["status", "--json"]); // seeds the bundled plan
    expect(first.code).toBe(0);
    const before = await tableSnapshot(t.db);
    const r = await cli(t.url, ["chat", "--user", "stranger"], "/nhiemvu\nIV.4.b 60%\n/nopbaocao\n1\n");
    expect(r.code).toBe(0);
    // Greeted first, on stderr; piped input gets no prompt, so stdout is the replies alone.
    expect(r.stderr).toContain("trò chuyện tại máy này với tư cách stranger. Gõ /start MÃ_MỜI để tham gia");
    expect(r.stdout).not.toContain("›");
    expect(r.stdout).toContain("/start");
    expect(r.stdout).toContain("mã mời");
    expect(await tableSnapshot(t.db)).toEqual(before);
  });

  it(
    "a new contact joins with a CLI invite, reports and submits; `status --json` shows it",
    async () => {
      const now = ["--now", "2026-11-25T09:00"];
      const invite = await cli(t.url, ["invite", "create", "--agency", "IV.4", "--json", ...now]);
      expect(invite.code).toBe(0);
      const created = JSON.parse(invite.stdout);
      expect(created).toMatchObject({ agency: "IV.4", role: "contact" });
      expect(created.code).toMatch(/^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);
      expect(created.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);

      const coordinator = JSON.parse(
        (await cli(t.url, ["invite", "create", "--role", "coordinator", "--json", ...now])).stdout,
      );
      expect(coordinator.agency).toBeNull();
      expect(
        (await cli(t.url, ["chat", "--user", "lan", "--name", "Chị Lan", ...now], `/start ${coordinator.code}\n`))
          .stdout,
      ).toContain("điều phối viên");

      // The whole session is one real process with the script on its standard input, as an admin
      // would pipe it: replies on stdout, exit 0 at the end.
      const script = [
        `/start ${created.code.toLowerCase()}`,
        "IV.4.b 60% đang thực hiện: đã kết nối dữ liệu với 95 xã",
        "4đ xong",
        "/baocao",
        "1", // IV.4.a
        "2", // in progress
        "45",
        "1", // skip the note
        "/nopbaocao 123/BC-BHXH 20/11/2026",
        "1", // Gửi báo cáo
      ].join("\n");
      const session = await cliProcess(["chat", "--user", "minh", "--name", "Anh Minh", ...now], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: "silent" },
        input: `${script}\n`,
      });
      expect(session.code).toBe(0);
      expect(session.stdout).toContain("đầu mối của Bảo hiểm xã hội tỉnh");
      expect(session.stdout).toContain("  1) Gửi báo cáo\n  2) Hủy");
      expect(session.stdout).toContain("Đã nộp báo cáo của Bảo hiểm xã hội tỉnh");
      // The coordinator's notification is hers alone: it waits for her own session, and is shown
      // there as it opens.
      expect(session.stdout + session.stderr).not.toContain("📥");
      const lan = await cli(t.url, ["chat", "--user", "lan", "--name", "Chị Lan", ...now]);
      expect(lan.stdout).toMatch(/^📥 IV\.4 Bảo hiểm xã hội tỉnh đã nộp báo cáo/);

      const status = await cli(t.url, ["status", "--json"]);
      expect(status.code).toBe(0);
      // Always one element per active plan, each with its code; each agency with its directory code.
      const { plans } = JSON.parse(status.stdout);
      expect(plans).toHaveLength(1);
      const json = plans[0];
      expect([json.code, json.reportDeadline]).toEqual(["BHXH26", "2026-12-15"]);
      const iv4 = json.agencies.find((a: { code: string }) => a.code === "IV.4");
      expect(iv4).toMatchObject({
        name: "Bảo hiểm xã hội tỉnh",
        directoryCode: "BHXH",
        parent: null,
        contacts: 1,
        submitted: true,
      });
      const duties = Object.fromEntries(iv4.duties.map((d: { code: string }) => [d.code, d]));
      expect(duties["IV.4.b"]).toMatchObject({
        status: "in_progress",
        percent: 60,
        note: "đã kết nối dữ liệu với 95 xã",
      });
      expect(duties["IV.4.b"].updatedAt).toMatch(/\+07:00$/);
      expect(duties["IV.4.đ"]).toMatchObject({ status: "done", state: "done", percent: 100 });
      // Never reported on: its status is not_started, as the shared meaning has it; its state says why.
      expect(duties["IV.4.d"]).toEqual({
        code: "IV.4.d",
        status: "not_started",
        state: "not_reported",
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
      expect(submission).toMatchObject({ documentNumber: "123/BC-BHXH", documentDate: "2026-11-20" });
      expect(submission.items).toHaveLength(7);
    },
    PROCESS_TEST_TIMEOUT,
  );

  it(
    "a coordinator's /xuat writes the file under data/xuat/ where the chat runs, and says where",
    async () => {
      const cwd = mkdtempSync(join(inject("testTmpDir"), "chat-cwd-"));
      const session = await cliProcess(["chat", "--user", "lan", "--now", "2026-11-25T10:00"], {
        cwd,
        env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: "silent" },
        input: "/xuat csv\n",
      });
      expect(session.code).toBe(0);
      const where = /→ (data\/xuat\/[^\n]+\.csv)\n/.exec(session.stdout);
      expect(where, session.stdout).not.toBeNull();
      expect(readFileSync(join(cwd, where![1]!), "utf8")).toContain("Bảo hiểm xã hội tỉnh");
    },
    PROCESS_TEST_TIMEOUT,
  );

  it("indicator figures reported in chat show up as the latest rate in `status --json`", async () => {
    const r = await cli(t.url, ["chat", "--user", "minh"], "/chitieu II.1 1.120.000\n");
    expect(r.stdout).toContain("95,38%");
    const json = JSON.parse((await cli(t.url, ["status", "--json"])).stdout).plans[0];
    expect(json.indicators[0]).toMatchObject({ latestParticipants: 1120000, latestRatePercent: 95.38 });
  });

  it("lists and deactivates contacts, keeping their history", async () => {
    const list = JSON.parse((await cli(t.url, ["contacts", "list", "--agency", "IV.4", "--json"])).stdout);
    expect(list).toHaveLength(1);
    // People belong to the directory: listed by the agency's directory code, found by its section too.
    expect(list[0]).toMatchObject({ name: "Anh Minh", role: "contact", agency: "BHXH", active: true });
    const byCode = JSON.parse((await cli(t.url, ["contacts", "list", "--agency", "bhxh", "--json"])).stdout);
    expect(byCode).toEqual(list);
    const reports = await t.db.dutyReport.count();
    const off = await cli(t.url, ["contacts", "deactivate", String(list[0].id), "--json"]);
    expect(JSON.parse(off.stdout)).toEqual({ id: list[0].id, active: false });
    expect(await t.db.dutyReport.count()).toBe(reports);
    expect((await cli(t.url, ["chat", "--user", "minh"], "/nhiemvu\n")).stdout).toContain("ngừng hoạt động");
  });

  it("creates one invite per commune and writes them as a spreadsheet", async () => {
    const file = join(inject("testTmpDir"), "moi-cap-xa.xlsx");
    const r = await cli(t.url, ["invite", "create", "--group", "IV.9", "--xlsx", file, "--json"]);
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
      const r = await cli(t.url, args);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(await tableSnapshot(t.db)).toEqual(before);
  });
});

// The .env file names a SQLite file relative to the working directory: a SQLite matter.
describe.skipIf(onPostgres)("settings from a .env file", () => {
  it(
    "are read from the working directory, and the environment wins over them",
    async () => {
      const dir = mkdtempSync(join(inject("testTmpDir"), "env-"));
      writeFileSync(join(dir, ".env"), "DATABASE_URL=file:./from-dotenv.db\nDEFAULT_LOCALE=xx\n");
      // Already migrated, so the command starts no migration process of its own; that it used this
      // file (relative to the working directory) shows in the plan it seeded there.
      copyFileSync(inject("templateDbPath"), join(dir, "from-dotenv.db"));
      const fromDotenv = createDb(`file:${join(dir, "from-dotenv.db")}`);
      onTestFinished(() => fromDotenv.$disconnect());
      expect(await fromDotenv.plan.count()).toBe(0);
      const { DATABASE_URL: _url, DEFAULT_LOCALE: _locale, ...withoutSettings } = process.env;
      const run = (env: Record<string, string>) =>
        cliProcess(["status", "--json"], { cwd: dir, env: { ...withoutSettings, LOG_LEVEL: "silent", ...env } });
      const refused = await run({});
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("DEFAULT_LOCALE");
      const ok = await run({ DEFAULT_LOCALE: "en" });
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout).plans[0].reportDeadline).toBe("2026-12-15");
      expect(await fromDotenv.plan.count()).toBe(1);
    },
    PROCESS_TEST_TIMEOUT,
  );
});

describe("`cli chat` with two plans", () => {
  it("asks which plan with numbered choices, and the number decides", async () => {
    const t = await createTestDb();
    try {
      const now = ["--now", "2026-11-25T09:00"];
      const invite = JSON.parse((await cli(t.url, ["invite", "create", "--agency", "IV.4", "--json", ...now])).stdout);
      expect((await cli(t.url, ["plan", "import", SECOND_PLAN_PATH, "--create-agencies"])).code).toBe(0);
      const script = [`/start ${invite.code}`, "/baocao", "2"].join("\n");
      const r = await cli(t.url, ["chat", "--user", "hai", "--name", "Anh Hải", ...now], `${script}\n`);
      expect(r.code).toBe(0);
      const asked = r.stdout.slice(r.stdout.indexOf("/baocao cho kế hoạch nào?"));
      expect(asked).toMatch(/^ {2}1\) BHXH26: /m);
      expect(asked).toMatch(/^ {2}2\) BHYT26: /m);
      const duties = asked.slice(asked.indexOf("Chọn nhiệm vụ cần báo cáo"));
      expect(duties).toMatch(/^ {2}\d\) .*IV\.2\.a/m);
      expect(duties).not.toContain("IV.4.b");
    } finally {
      await t.db.$disconnect();
    }
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
