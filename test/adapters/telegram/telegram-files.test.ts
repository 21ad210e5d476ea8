// A file a contact sends with /nopbaocao on Telegram, when its bytes cannot be had: over the 20 MB
// a bot may download, or a download that fails. The real app and adapter, fed updates with
// handleUpdate, against the Bot API stand-in over HTTP (calls and file downloads alike). The
// person is told the file was not received and why; nothing of it is stored, coordinators are not
// told of a file, and the submission goes on without it only when the person chooses so.
import { afterEach, describe, expect, it } from "vitest";
import { createTelegramAdapter, type TelegramAdapter } from "../../../adapters/telegram/telegram-adapter.ts";
import { createApp, type App } from "../../../src/app.ts";
import { createManualClock } from "../../../src/lib/clock.ts";
import { loadConfig } from "../../../src/config.ts";
import { createLogger } from "../../../src/lib/logger.ts";
import { createInvite } from "../../../src/services/invite-service.ts";
import { findAgency, getActivePlan } from "../../../src/services/plan-service.ts";
import { parseIsoInstant } from "../../../src/lib/time.ts";
import { createTestDb } from "../../helpers/db.ts";
import { BOT_INFO, documentUpdate, pressUpdate, textUpdate, TOKEN, type Person } from "../../helpers/telegram.ts";
import { startBotApiStandIn, type BotApiStandIn, type StandInCall } from "../../helpers/telegram-standin.ts";

const silent = createLogger("silent");
const MORNING = parseIsoInstant("2026-12-01T09:00")!;
const MB = 1024 * 1024;
const hoa: Person = { id: 701, name: "Chị Hoa" };
const minh: Person = { id: 702, name: "Anh Minh" };

interface Rig {
  api: BotApiStandIn;
  app: App;
  adapter: TelegramAdapter;
  send(person: Person, text: string): Promise<void>;
  sendFile(person: Person, file: { fileId: string; name: string; size: number }, caption?: string): Promise<void>;
  press(person: Person, label: string): Promise<void>;
  /** Messages the bot sent this person, answered by the stand-in. */
  sent(person: Person): StandInCall[];
  lastText(person: Person): string;
  close(): Promise<void>;
}

function labels(call: StandInCall | undefined): string[] {
  const keyboard = (call?.payload.reply_markup?.inline_keyboard ?? []) as { text: string }[][];
  return keyboard.flat().map((b) => b.text);
}

async function rig(): Promise<Rig> {
  const api = await startBotApiStandIn({ token: TOKEN, bot: BOT_INFO });
  const { url, db } = await createTestDb();
  await db.$disconnect();
  const clock = createManualClock(MORNING);
  let adapter!: TelegramAdapter;
  const app = await createApp({
    config: loadConfig({ DATABASE_URL: url, TELEGRAM_BOT_TOKEN: TOKEN }),
    logger: silent,
    clock,
    adapters: (host) => [
      (adapter = createTelegramAdapter({
        host,
        settings: { token: TOKEN, username: undefined, apiRoot: api.apiRoot, webhook: null },
        pace: { perSecond: 1000, perChatMs: 0 },
        defaultLocale: "vi",
        botInfo: BOT_INFO,
      })),
    ],
  });
  const sent = (person: Person) =>
    api.calls.filter(
      (c) =>
        (c.method === "sendMessage" || c.method === "sendDocument") &&
        Number(c.payload.chat_id) === person.id &&
        c.messageId !== undefined,
    );
  const handle = async (update: Parameters<TelegramAdapter["bot"]["handleUpdate"]>[0]) => {
    await adapter.bot.handleUpdate(update);
    await adapter.idle();
  };
  for (const person of [hoa, minh]) api.introduce(person.id);
  return {
    api,
    app,
    adapter,
    sent,
    send: (person, text) => handle(textUpdate(person, text)),
    sendFile: (person, file, caption) =>
      handle(documentUpdate(person, { ...file, mimeType: "application/pdf" }, caption)),
    press: async (person, label) => {
      const carrier = sent(person).findLast((c) => labels(c).includes(label));
      if (!carrier) throw new Error(`no button "${label}"`);
      const keyboard = carrier.payload.reply_markup.inline_keyboard as { text: string; callback_data: string }[][];
      const data = keyboard.flat().find((b) => b.text === label)!.callback_data;
      await handle(pressUpdate(person, { chatId: person.id, messageId: carrier.messageId! }, data));
    },
    lastText: (person) => String(sent(person).at(-1)?.payload.text ?? ""),
    close: async () => {
      await adapter.stop();
      await app.close(0);
      await api.close();
    },
  };
}

async function join(r: Rig, person: Person, agencyCode: string | null): Promise<void> {
  const plan = await getActivePlan(r.app.db);
  const agency = agencyCode ? await findAgency(r.app.db, plan.id, agencyCode) : null;
  const { code } = await createInvite(
    { db: r.app.db, clock: createManualClock(MORNING), inviteTtlDays: 14 },
    { agency, role: agencyCode ? "contact" : "coordinator" },
  );
  await r.send(person, `/start ${code}`);
}

/** What the coordinator was sent once the outbox has run. */
async function coordinatorReads(r: Rig): Promise<string[]> {
  await r.app.heartbeat();
  await r.app.flush();
  return r.sent(minh).map((c) => String(c.payload.text));
}

describe("telegram: a file whose bytes cannot be had", () => {
  let r: Rig | undefined;
  afterEach(async () => {
    await r?.close();
    r = undefined;
  });

  it("a 25 MB document during /nopbaocao: not downloaded, said not received and why, never presented as sent", async () => {
    r = await rig();
    await join(r, hoa, "IV.4");
    await join(r, minh, null);
    await r.send(hoa, "/nopbaocao");
    expect(r.lastText(hoa)).toContain("Xác nhận gửi báo cáo?");
    const before = r.sent(hoa).length;

    await r.sendFile(hoa, { fileId: "scan-25mb", name: "BC-BHXH-scan.pdf", size: 25 * MB });
    // Telegram gives bots files up to 20 MB: no attempt is made.
    expect(r.api.calls.filter((c) => c.method === "getFile")).toEqual([]);
    expect(r.api.downloads).toEqual([]);
    const answer = r.sent(hoa).slice(before);
    expect(answer).toHaveLength(1);
    const text = String(answer[0]!.payload.text);
    expect(text).toContain('Tệp quá lớn (tối đa 20 MB) nên chưa được nhận: "BC-BHXH-scan.pdf" (25 MB).');
    expect(text).toContain("nén tệp PDF");
    expect(text).not.toContain("Đã nhận tệp");
    expect(labels(answer[0])).toEqual(["Nộp không kèm tệp", "Hủy"]);
    expect(await r.app.db.storedFile.count()).toBe(0);
    const flow = await r.app.db.conversation.findFirstOrThrow();
    expect(JSON.parse(flow.data)).toMatchObject({ attachment: null });

    // Only by choosing so does the submission go on, and then without any file.
    await r.press(hoa, "Nộp không kèm tệp");
    const done = r.lastText(hoa);
    expect(done).toMatch(/^Đã nộp báo cáo của Bảo hiểm xã hội tỉnh lúc /);
    expect(done).not.toContain("kèm tệp");
    const submission = await r.app.db.submission.findFirstOrThrow();
    expect(submission).toMatchObject({ attachmentName: null, attachmentRef: null, attachmentFileId: null });
    expect(await r.app.db.storedFile.count()).toBe(0);

    const notice = (await coordinatorReads(r)).find((t) => t.startsWith("📥"));
    expect(notice).toContain("IV.4 Bảo hiểm xã hội tỉnh đã nộp báo cáo");
    expect(notice).not.toContain("Tệp kèm");
    await r.send(minh, "/tailieu IV.4");
    expect(r.lastText(minh)).toBe("IV.4 chưa có báo cáo đã nộp kèm tệp.");
    expect(r.api.calls.filter((c) => c.method === "sendDocument")).toEqual([]);
  });

  it("a download that fails: said not received with 'thử gửi lại'; the file sent again is kept and submitted", async () => {
    r = await rig();
    await join(r, hoa, "IV.4");
    await join(r, minh, null);
    const bytes = Buffer.from("%PDF-1.4 báo cáo đã ký số 45/BC-BHXH");
    r.api.addFile("scan-500", bytes, { status: 500 });
    await r.sendFile(hoa, { fileId: "scan-500", name: "bao-cao.pdf", size: bytes.length }, "/nopbaocao 45/BC-BHXH");
    expect(r.api.downloads).toEqual(["documents/scan-500.pdf"]);
    const preview = r.lastText(hoa);
    expect(preview).toMatch(
      /^Tệp "bao-cao\.pdf" chưa được nhận: hệ thống không tải được tệp về\. Vui lòng thử gửi lại\./,
    );
    expect(preview).toContain('chọn "Nộp không kèm tệp"');
    expect(preview).toContain("Báo cáo của Bảo hiểm xã hội tỉnh (số 45/BC-BHXH) sẽ gồm");
    expect(labels(r.sent(hoa).at(-1))).toEqual(["Nộp không kèm tệp", "Hủy"]);
    expect(await r.app.db.storedFile.count()).toBe(0);

    // Sent again, it arrives: confirmed only now, and it goes with the submission.
    r.api.addFile("scan-ok", bytes);
    await r.sendFile(hoa, { fileId: "scan-ok", name: "bao-cao.pdf", size: bytes.length });
    expect(r.lastText(hoa)).toBe('Đã nhận tệp "bao-cao.pdf"; tệp sẽ được gửi kèm báo cáo khi Anh/Chị xác nhận.');
    await r.press(hoa, "Gửi báo cáo");
    expect(r.lastText(hoa)).toContain('(số 45/BC-BHXH), kèm tệp "bao-cao.pdf".');
    const submission = await r.app.db.submission.findFirstOrThrow({ include: { attachmentFile: true } });
    expect(submission).toMatchObject({ attachmentName: "bao-cao.pdf", attachmentRef: "scan-ok" });
    expect(Buffer.from(submission.attachmentFile!.content)).toEqual(bytes);
    expect((await coordinatorReads(r)).find((t) => t.startsWith("📥"))).toContain("Tệp kèm: bao-cao.pdf.");
  });

  it("a file sent with no /nopbaocao is answered: not kept, and how to attach it", async () => {
    r = await rig();
    await join(r, hoa, "IV.4");
    const bytes = Buffer.from("%PDF-1.4 ảnh chụp");
    r.api.addFile("loose", bytes);
    await r.sendFile(hoa, { fileId: "loose", name: "van-ban.pdf", size: bytes.length }, "gửi anh chị văn bản");
    const texts = r
      .sent(hoa)
      .slice(-2)
      .map((c) => String(c.payload.text));
    expect(texts[0]).toMatch(/^Tôi chưa hiểu tin nhắn này\./);
    expect(texts[1]).toBe(
      'Tệp "van-ban.pdf" chưa được lưu: Nhắc Việc chỉ nhận tệp gửi kèm báo cáo. Để nộp tệp cùng báo cáo, ' +
        "gửi lại tệp với chú thích /nopbaocao (có thể thêm số và ngày văn bản), hoặc gõ /nopbaocao rồi gửi tệp.",
    );
    expect(await r.app.db.storedFile.count()).toBe(0);
  });
});
