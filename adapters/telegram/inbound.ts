import { commandEvent, commandNamed } from "../../src/core/commands.ts";
import { readFile } from "node:fs/promises";
import { autoRetry, type AutoRetryOptions } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import type { Context } from "grammy";
import type { CallbackQuery, Chat, Message } from "grammy/types";
import type { IncomingAttachment, IncomingEvent } from "../../src/model/bot-core.ts";
import { fetchAttachment, fetchBytes, type SentFile } from "../kit/attachment.ts";
import { decodeChoice } from "./buttons.ts";
import { API_TIMEOUT_SECONDS, quietly, textsFor, type Telegram } from "./context.ts";
import { isGrammyError, loggable } from "./errors.ts";
import { requestMenuSync } from "./menus.ts";
import { answer } from "./sending.ts";
import { identityOf, parseCommand, sentFileOf } from "./updates.ts";

// Updates in: a message or a button press becomes an event for the core, handled once, in its
// chat's order, with the core's replies sent back.

/**
 * A reply has no outbox behind it: a short "retry after" is waited out once or twice; 5xx gets the
 * plugin's short backoff. Network errors are not retried here (the plugin would retry them forever).
 */
const REPLY_RETRY: Partial<AutoRetryOptions> = {
  maxRetryAttempts: 2,
  maxDelaySeconds: 10,
  rethrowHttpErrors: true,
};

async function download(t: Telegram, fileId: string): Promise<Uint8Array | undefined> {
  const { file_path: path } = await t.bot.api.getFile(fileId);
  if (!path) return undefined;
  // A self-hosted Bot API server started with --local hands out a path on its own disk.
  if (t.settings.apiRoot && path.startsWith("/")) return new Uint8Array(await readFile(path));
  return fetchBytes(`${t.apiRoot}/file/bot${t.settings.token}/${path}`, API_TIMEOUT_SECONDS * 1000);
}

/**
 * The file with its bytes when Telegram hands them over (bots get files up to 20 MB); otherwise
 * with the reason they could not be had, which the core tells the person.
 */
function attachmentOf(t: Telegram, file: SentFile): Promise<IncomingAttachment> {
  return fetchAttachment(
    file,
    () => download(t, file.ref),
    (error) => {
      t.logger.warn({ err: loggable(error), fileId: file.ref }, "telegram file not downloaded");
      // A file whose size the message did not give is refused by getFile when over the limit.
      const tooBig = isGrammyError(error, 400) && /file is too big/i.test(error.description);
      return tooBig ? "too_large" : "download_failed";
    },
  );
}

async function onMessage(t: Telegram, ctx: Context, message: Message): Promise<void> {
  const text = message.text ?? message.caption ?? "";
  const file = sentFileOf(message);
  // Members joining, stickers, locations: nothing the core reads.
  if (!text && !file) return;
  const typed = parseCommand(text);
  if (typed?.addressedTo && typed.addressedTo.toLowerCase() !== ctx.me.username.toLowerCase()) return;
  const from = identityOf(message.from, message.chat, message.sender_chat);
  // In a group the core only asks for a private message: no reason to fetch the file.
  const attachment = file && from.privateChat ? await attachmentOf(t, file) : undefined;
  const event: IncomingEvent = typed
    ? commandEvent(from, typed.command, typed.args, attachment)
    : { kind: "text", from, text, ...(attachment && { attachment }) };
  // A file takes a moment to make: Telegram shows "sending a photo/file…" meanwhile.
  const produces = event.kind === "command" ? commandNamed(event.command).produces : undefined;
  if (produces && from.privateChat) {
    const action = produces === "photo" ? "upload_photo" : "upload_document";
    await quietly(t, "sendChatAction", () => ctx.api.sendChatAction(message.chat.id, action));
  }
  const replies = await t.host.core.handle(event);
  await answer(t, ctx, message.chat.id, replies);
  // Joining, a deactivation or a new role is always a command: the menus may have to follow.
  if (typed && from.privateChat) requestMenuSync(t.menus, t.inFlight, t.logger);
}

async function onPress(t: Telegram, ctx: Context, query: CallbackQuery): Promise<void> {
  const carrier = query.message;
  const chat: Chat = carrier?.chat ?? { id: query.from.id, type: "private", first_name: query.from.first_name };
  const value = query.data ? await decodeChoice(t.store, query.data) : null;
  await quietly(t, "answerCallbackQuery", () =>
    ctx.api.answerCallbackQuery(
      query.id,
      value === null ? { text: textsFor(t, query.from).telegram.buttonExpired } : {},
    ),
  );
  // Pressed once is enough: the keyboard goes, so an old button cannot answer a later question.
  // (A message older than 48 hours comes with date 0 and can no longer be edited.)
  if (carrier && carrier.date !== 0) {
    await quietly(t, "editMessageReplyMarkup", () => ctx.api.editMessageReplyMarkup(chat.id, carrier.message_id));
  }
  if (value === null) return;
  const replies = await t.host.core.handle({ kind: "choice", from: identityOf(query.from, chat), value });
  await answer(t, ctx, chat.id, replies);
}

/** Outermost: nothing escapes. The update and its error go to the log; the person gets the core's short apology. */
async function apologising(t: Telegram, ctx: Context, next: () => Promise<void>): Promise<void> {
  try {
    await next();
  } catch (error) {
    t.logger.error(
      { err: loggable(error), updateId: ctx.update.update_id, chatId: ctx.chat?.id },
      "telegram update failed",
    );
    const query = ctx.callbackQuery;
    if (query) await quietly(t, "answerCallbackQuery", () => ctx.api.answerCallbackQuery(query.id));
    const chatId = ctx.chat?.id ?? ctx.from?.id;
    const apology = textsFor(t, ctx.from).bot.internalError;
    if (chatId !== undefined) await quietly(t, "apology", () => ctx.api.sendMessage(chatId, apology));
  }
}

export function installMiddleware(t: Telegram): void {
  const { bot, logger } = t;
  // Every update counts as in flight until answered, so stopping waits for it; never a stack trace.
  bot.use((ctx, next) => t.inFlight.track(apologising(t, ctx, next)));
  // One chat's updates in the order they came, other chats alongside. Placed before anything
  // asynchronous, so the order is the order handleUpdate was called in.
  bot.use(
    sequentialize((ctx: Context) => {
      const id = ctx.chat?.id ?? ctx.from?.id;
      return id === undefined ? undefined : String(id);
    }),
  );
  bot.use((ctx, next) => {
    ctx.api.config.use(autoRetry({ ...REPLY_RETRY, ...t.deps.replyRetry }));
    return next();
  });
  // Telegram sends an update again when it got no answer in time, and a restarted poll can hand
  // over the last batch again: an update is handled once, by its id.
  bot.use(async (ctx, next) => {
    if (await t.dedup.first(`${ctx.me.id}:${ctx.update.update_id}`, { updateId: ctx.update.update_id })) return next();
  });
  bot.use(async (ctx) => {
    const update = ctx.update;
    if (update.callback_query) return onPress(t, ctx, update.callback_query);
    // A channel post (one that came anyway, allowed before) is left unanswered.
    if (update.message) return onMessage(t, ctx, update.message);
  });
  bot.catch((error) => logger.error({ err: loggable(error) }, "telegram update failed"));
}
