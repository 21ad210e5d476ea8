// The 08:00 fan-out against the platform's real ceiling: every planned reminder goes out through
// the real Telegram adapter to a local Bot API stand-in that enforces 30 messages/s overall and 1/s per
// chat (429 with retry_after above them), while a contact keeps chatting. The stand-in can sit behind
// a network: each request and each answer is held a one-way delay with jitter, and the limits count
// a message when it arrives, as the real platform does.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { createApp, type App } from "../src/app.ts";
import { createOffsetClock } from "../src/lib/clock.ts";
import { loadConfig } from "../src/config.ts";
import type { UserFromGetMe } from "grammy/types";
import { createTelegramAdapter } from "../adapters/telegram/telegram-adapter.ts";
import type { Logger } from "../src/lib/logger.ts";
import type { Db } from "../src/db/db.ts";

/** A one-way delay and its jitter: each trip, up and down, takes oneWayMs ± jitterMs, evenly spread. */
export interface Network {
  oneWayMs: number;
  jitterMs: number;
}

export const LOOPBACK: Network = { oneWayMs: 0, jitterMs: 0 };
/** Vietnam to Telegram's Bot API servers in Europe. */
export const EUROPE: Network = { oneWayMs: 120, jitterMs: 60 };

export interface FanOutFigures {
  network: Network;
  reminders: number;
  seconds: number;
  perSecond: number;
  /** Messages per second achieved, as a fraction of the enforced 30/s. */
  ceilingFraction: number;
  rateLimited: number;
  /** Answers 429 as a share of every sendMessage the stand-in received. */
  rateLimitedShare: number;
  duplicates: number;
  lost: number;
  chatMessages: number;
  chatP50Ms: number;
  chatP99Ms: number;
}

const CEILING_PER_SECOND = 30;

export const BOT_INFO: UserFromGetMe = {
  id: 42,
  is_bot: true,
  first_name: "Nhắc Việc",
  username: "nhacviec_bench_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};
const PER_CHAT_MS = 1000;

/** A Bot API stand-in that only knows sendMessage, and refuses what the real one would refuse. */
export async function startStandIn(network: Network = LOOPBACK) {
  const accepted: { chatId: string; at: number }[] = [];
  const recent: number[] = [];
  const lastByChat = new Map<string, number>();
  let rateLimited = 0;
  const body = (request: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = "";
      request.on("data", (chunk: Buffer) => (text += chunk.toString()));
      request.on("end", () => resolve(text));
    });
  const held = new Set<ReturnType<typeof setTimeout>>();
  const trip = () => network.oneWayMs + network.jitterMs * (2 * Math.random() - 1);
  /** Runs `then` a one-way trip later (at once on loopback), unless the stand-in closes first. */
  const after = (then: () => void) => {
    const ms = trip();
    if (ms <= 0) return then();
    const timer = setTimeout(() => {
      held.delete(timer);
      then();
    }, ms);
    held.add(timer);
  };
  const server = createServer((request, response) => {
    // The request arrives a trip after it was sent; its answer takes another trip back.
    const send = response.end.bind(response);
    response.end = ((...args: Parameters<typeof send>) => {
      after(() => send(...args));
      return response;
    }) as typeof response.end;
    void body(request).then((text) =>
      after(() => {
        const method = (request.url ?? "").split("/").pop() ?? "";
        const payload = (text ? JSON.parse(text) : {}) as { chat_id?: string; timeout?: number };
        // What a bot process asks besides sending: who it is, its menus, and a long poll that
        // finds nothing (bench/fan-out-processes.ts runs real processes against this stand-in).
        if (method !== "sendMessage") {
          const answer = (result: unknown) => {
            response.writeHead(200, { "content-type": "application/json" });
            response.end(JSON.stringify({ ok: true, result }));
          };
          if (method === "getMe") return answer(BOT_INFO);
          if (method !== "getUpdates") return answer(true);
          const timer = setTimeout(
            () => {
              held.delete(timer);
              answer([]);
            },
            Math.min(payload.timeout ?? 0, 25) * 1000,
          );
          held.add(timer);
          return;
        }
        const now = performance.now();
        const chatId = String(payload.chat_id);
        while (recent.length && recent[0]! <= now - 1000) recent.shift();
        const chatWait = (lastByChat.get(chatId) ?? -Infinity) + PER_CHAT_MS - now;
        if (recent.length >= CEILING_PER_SECOND || chatWait > 0) {
          rateLimited++;
          response.writeHead(429, { "content-type": "application/json" });
          response.end(
            JSON.stringify({
              ok: false,
              error_code: 429,
              description: "Too Many Requests",
              parameters: { retry_after: 1 },
            }),
          );
          return;
        }
        recent.push(now);
        lastByChat.set(chatId, now);
        accepted.push({ chatId, at: now });
        response.writeHead(200, { "content-type": "application/json" });
        response.end(
          JSON.stringify({
            ok: true,
            result: {
              message_id: accepted.length,
              date: Math.floor(Date.now() / 1000),
              chat: { id: Number(chatId), type: "private" },
            },
          }),
        );
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    root: `http://127.0.0.1:${port}`,
    network,
    accepted,
    get rateLimited() {
      return rateLimited;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of held) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function runFanOut(options: {
  url: string;
  at: Date;
  logger: Logger;
  quick: boolean;
  network: Network;
}): Promise<FanOutFigures> {
  const standIn = await startStandIn(options.network);
  // The bench's clock starts at the reminder point and runs at real speed, like NOW= in a real process.
  const clock = createOffsetClock(options.at);
  const config = loadConfig({
    DATABASE_URL: options.url,
    TELEGRAM_BOT_TOKEN: "bench",
    TELEGRAM_BOT_USERNAME: BOT_INFO.username,
    TELEGRAM_API_ROOT: standIn.root,
  });
  // The real adapter, not started: pushes need no polling, and the stand-in answers sendMessage.
  const app = await createApp({
    config,
    logger: options.logger,
    clock,
    adapters: (host) => [
      createTelegramAdapter({
        host,
        settings: config.telegram!,
        pace: { perSecond: CEILING_PER_SECOND, perChatMs: PER_CHAT_MS },
        defaultLocale: "vi",
        botInfo: BOT_INFO,
      }),
    ],
  });
  try {
    const due = await app.db.outboxMessage.count({ where: { kind: "reminder", status: "pending" } });
    const chatter = await app.db.person.findFirstOrThrow({ where: { role: "contact" }, include: { identities: true } });
    const identity = chatter.identities[0]!;
    const started = performance.now();
    // As the server's outbox loop does: pass after pass until nothing is pending, so a push the
    // platform asked to retry later (429) goes out on a later pass.
    const pending = () => app.db.outboxMessage.count({ where: { kind: "reminder", status: "pending" } });
    const sending = (async () => {
      for (let pass = 0; pass < 600; pass++) {
        await app.flush();
        if ((await pending()) === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    })();
    let done = false;
    void sending.then(() => (done = true));
    const chat = await chatWhile(app, identity, async () => !done);
    await sending;
    const seconds = (performance.now() - started) / 1000;
    const { duplicates, lost } = await countDeliveries(app.db, standIn.accepted);
    const sorted = chat.sort((a, b) => a - b);
    const pick = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
    const perSecond = standIn.accepted.length / seconds;
    return {
      network: options.network,
      reminders: due,
      seconds: Math.round(seconds * 10) / 10,
      perSecond: Math.round(perSecond * 10) / 10,
      ceilingFraction: Math.round((perSecond / CEILING_PER_SECOND) * 1000) / 1000,
      rateLimited: standIn.rateLimited,
      rateLimitedShare: rateLimitedShare(standIn),
      duplicates,
      lost,
      chatMessages: chat.length,
      chatP50Ms: Math.round(pick(50) * 100) / 100,
      chatP99Ms: Math.round(pick(99) * 100) / 100,
    };
  } finally {
    await app.close();
    await standIn.close();
  }
}

export function rateLimitedShare(standIn: { accepted: readonly unknown[]; rateLimited: number }): number {
  const sends = standIn.accepted.length + standIn.rateLimited;
  return sends === 0 ? 0 : Math.round((standIn.rateLimited / sends) * 10_000) / 10_000;
}

/** The stand-in's count against the outbox: a reminder chat that got two is a duplicate, none is lost. */
export async function countDeliveries(
  db: Db,
  accepted: readonly { chatId: string }[],
): Promise<{ duplicates: number; lost: number }> {
  const perChat = new Map<string, number>();
  for (const a of accepted) perChat.set(a.chatId, (perChat.get(a.chatId) ?? 0) + 1);
  const expected = await db.outboxMessage.findMany({
    // Rows recorded and never to be sent (a point too old, a plan's push a merged one carries) expect nothing.
    where: { kind: "reminder", NOT: { status: "skipped" } },
    select: { person: { select: { identities: { select: { chatId: true } } } } },
  });
  const expectedChats = new Set(expected.flatMap((r) => r.person.identities.map((i) => i.chatId)));
  const reminderChats = [...perChat].filter(([chatId]) => expectedChats.has(chatId));
  return {
    duplicates: reminderChats.reduce((n, [, count]) => n + Math.max(0, count - 1), 0),
    lost: [...expectedChats].filter((chatId) => !perChat.has(chatId)).length,
  };
}

/** A contact reports every 100 ms while `going` says so; the reply times, in ms. */
export async function chatWhile(
  app: App,
  identity: { platform: string; userId: string; chatId: string },
  going: (i: number) => Promise<boolean>,
): Promise<number[]> {
  const chat: number[] = [];
  for (let i = 0; await going(i); i++) {
    const t0 = performance.now();
    await app.core.handle({
      kind: "text",
      from: { platform: identity.platform, userId: identity.userId, chatId: identity.chatId, displayName: "x" },
      text: `9a ${(i % 99) + 1}% đang thực hiện`,
    });
    chat.push(performance.now() - t0);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (performance.now() - t0))));
  }
  return chat;
}
