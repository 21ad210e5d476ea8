import type { RespondFn, webApi } from "@slack/bolt";
import type { IncomingAttachment, IncomingEvent, PlatformIdentity, Reply } from "../../src/model/bot-core.ts";
import type { AdapterHost, PersonOverview } from "../../src/delivery/adapter-host.ts";
import { homePage } from "../../src/delivery/forms.ts";
import { splitMessages } from "../../src/delivery/split-message.ts";
import type { OutgoingMessage } from "../../src/model/messages.ts";
import type { Logger } from "../../src/lib/logger.ts";
import { fetchAttachment, fetchBytes } from "../kit/attachment.ts";
import { homeView } from "./home.ts";
import type { SlackFile } from "./modals.ts";
import { CHOICE_KEY_ACTION, renderMessage, slackChoiceKeys } from "./render.ts";
import type { ChoiceKeys } from "../kit/choice-keys.ts";
import { post, SLACK_MAX_MESSAGE_LENGTH, SLACK_PLATFORM } from "./sending.ts";

// What the listeners share: who a Slack user is to the core, where answers go (the response URL, the
// DM, an ephemeral message) and App Home. Everything the core decides arrives here as its replies.

/** A response URL takes at most five messages. */
const RESPOND_MAX_MESSAGES = 5;
const DOWNLOAD_TIMEOUT_MS = 60_000;

interface SurfaceDeps {
  host: AdapterHost;
  /** The replies' client, which waits out a rate limit instead of losing the reply. */
  client: webApi.WebClient;
  botToken: string;
  logger: Logger;
  /** Keeps work in the adapter's count of work in flight. */
  track: (work: Promise<unknown>) => void;
  formBudgetMs: number;
}

/** The listeners' dependencies and what they remember in this process. */
export interface SlackSurface extends SurfaceDeps {
  keys: ChoiceKeys;
  dms: Map<string, string>;
  names: Map<string, string>;
  /** What each person's App Home shows, once they have opened it in this process. */
  homes: Map<string, "contact" | "text">;
}

export function createSurface(deps: SurfaceDeps): SlackSurface {
  return {
    ...deps,
    keys: slackChoiceKeys(deps.host.store),
    dms: new Map(),
    names: new Map(),
    homes: new Map(),
  };
}

export async function dmChannel(s: SlackSurface, userId: string): Promise<string> {
  const known = s.dms.get(userId);
  if (known) return known;
  const opened = await s.client.conversations.open({ users: userId });
  const id = opened.channel?.id;
  if (!id) throw new Error("slack: conversations.open returned no channel");
  s.dms.set(userId, id);
  return id;
}

async function nameOf(s: SlackSurface, userId: string, fallback?: string): Promise<string> {
  const known = s.names.get(userId);
  if (known) return known;
  try {
    const { user } = await s.client.users.info({ user: userId });
    const name = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name;
    if (name) s.names.set(userId, name);
    return name || fallback || userId;
  } catch (error) {
    s.logger.warn({ err: error, userId }, "slack: users.info failed");
    return fallback || userId;
  }
}

/**
 * The person's account as the core knows it: their user id, and their DM with the bot as the chat;
 * writing in a channel, that channel (the core only asks them to write privately).
 */
export async function identity(
  s: SlackSurface,
  userId: string,
  known: { dm?: string | undefined; name?: string | undefined; channel?: string } = {},
): Promise<PlatformIdentity> {
  if (known.dm) s.dms.set(userId, known.dm);
  const chatId = known.channel ?? (await dmChannel(s, userId));
  const displayName = await nameOf(s, userId, known.name);
  return { platform: SLACK_PLATFORM, userId, chatId, displayName, privateChat: !known.channel };
}

/** The core's answer to an event; a contact's App Home is refreshed after it. */
export async function handle(s: SlackSurface, event: IncomingEvent): Promise<Reply[]> {
  const replies = await s.host.core.handle(event);
  refreshHome(s, event.from.userId);
  return replies;
}

export async function postEphemeral(
  s: SlackSurface,
  channel: string,
  user: string,
  replies: readonly OutgoingMessage[],
): Promise<void> {
  for (const part of splitMessages(replies, SLACK_MAX_MESSAGE_LENGTH)) {
    const rendered = await renderMessage(part, s.keys);
    await s.client.chat.postEphemeral({ channel, user, ...rendered });
  }
}

/** Through the response URL (only the person sees it), or in the DM when there is none or it cannot take them. */
export async function answer(
  s: SlackSurface,
  respond: RespondFn | null | undefined,
  from: PlatformIdentity,
  replies: readonly OutgoingMessage[],
): Promise<void> {
  const parts = splitMessages(replies, SLACK_MAX_MESSAGE_LENGTH);
  if (!respond || parts.length > RESPOND_MAX_MESSAGES || parts.some((p) => p.file)) {
    await post(s, from.chatId, replies);
    return;
  }
  for (const [index, part] of parts.entries()) {
    try {
      await respond({ response_type: "ephemeral", replace_original: false, ...(await renderMessage(part, s.keys)) });
    } catch (error) {
      // An expired response URL (30 minutes, five messages): the rest goes to the DM.
      s.logger.warn({ err: error }, "slack: response URL refused, answering in the DM");
      await post(s, from.chatId, parts.slice(index));
      return;
    }
  }
}

/** The value a choice button carries, or the one its key stands for. */
export async function choiceValue(s: SlackSurface, actionId: string, payload: string): Promise<string> {
  // A pruned key (a month-old button) becomes a value the core answers as stale.
  return (await s.keys.decode({ keyed: actionId.startsWith(`${CHOICE_KEY_ACTION}:`), payload })) ?? "";
}

export function overviewOf(s: SlackSurface, userId: string): Promise<PersonOverview | null> {
  return s.host.queries?.personOverview({ platform: SLACK_PLATFORM, userId }) ?? Promise.resolve(null);
}

export async function publishHome(s: SlackSurface, userId: string, dm?: string): Promise<void> {
  if (dm) s.dms.set(userId, dm);
  const page = await homePage(s.host.core, await overviewOf(s, userId), () => identity(s, userId));
  s.homes.set(userId, page.kind);
  await s.client.views.publish({ user_id: userId, view: homeView(page) });
}

export function refreshHome(s: SlackSurface, userId: string): void {
  // A contact's tab is cheap to redraw; a coordinator's would rerun /tongquan after every command.
  if (s.homes.get(userId) !== "contact") return;
  s.track(
    publishHome(s, userId).catch((error: unknown) => s.logger.warn({ err: error }, "slack: App Home refresh failed")),
  );
}

/** The file with its bytes, or with the reason they could not be had. */
export function download(s: SlackSurface, file: SlackFile): Promise<IncomingAttachment> {
  const sent = { name: file.name ?? file.id, ref: file.id, mimeType: file.mimetype, size: file.size };
  const url = file.url_private_download ?? file.url_private;
  const headers = { authorization: `Bearer ${s.botToken}` };
  const read = async () => (url ? fetchBytes(url, DOWNLOAD_TIMEOUT_MS, headers) : null);
  return fetchAttachment(sent, read, (error) => {
    s.logger.warn({ err: error, file: file.id }, "slack: file download failed");
    return "download_failed";
  });
}
