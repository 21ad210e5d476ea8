// Slack as a test drives it: signed requests to the adapter's real HTTP route (slash commands,
// buttons, form submissions, events), built the way Slack builds them, and the stand-in's record
// read back as the adapter's messages.
import { createHmac, randomUUID } from "node:crypto";
import { escapeMrkdwn } from "../../adapters/slack/render.ts";
import type { Choice } from "../../src/model/messages.ts";
import { formAnswerProblems } from "./block-kit.ts";
import { BOT_USER_ID, dmOf, type Posted, type SlackBlock, type SlackStandin } from "../standins/slack-api.ts";

export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

export interface SignOptions {
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  secret?: string;
  headers?: Record<string, string>;
}

export function signatureHeaders(body: string, options: SignOptions = {}): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const hmac = createHmac("sha256", options.secret ?? SIGNING_SECRET).update(`v0:${timestamp}:${body}`);
  return { "x-slack-signature": `v0=${hmac.digest("hex")}`, "x-slack-request-timestamp": String(timestamp) };
}

export interface SlackReply {
  status: number;
  text: string;
  json: Record<string, unknown> | null;
}

export async function signedPost(
  url: string,
  body: string,
  contentType: string,
  options: SignOptions = {},
): Promise<SlackReply> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": contentType, ...signatureHeaders(body, options), ...options.headers },
    body,
  });
  const text = await response.text();
  let json: Record<string, unknown> | null;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    json = null;
  }
  return { status: response.status, text, json };
}

/** The form Slack posts for `/nhacviec TEXT` typed by `user` in `channel`. */
export function commandBody(standin: SlackStandin, user: string, text: string, channel = "C0GENERAL"): string {
  return new URLSearchParams({
    token: "verification-token-unused",
    team_id: "T1",
    team_domain: "snv",
    channel_id: channel,
    channel_name: "general",
    user_id: user,
    user_name: user.toLowerCase(),
    command: "/nhacviec",
    text,
    api_app_id: "A1",
    response_url: standin.responseUrl(),
    trigger_id: `trigger-${randomUUID()}`,
  }).toString();
}

export const FORM = "application/x-www-form-urlencoded";

/** Drives one Slack workspace's people against the adapter's /slack/events. */
export function slackClient(eventsUrl: string, standin: SlackStandin) {
  return {
    /** `/nhacviec TEXT` typed by `user` in `channel` (a public channel unless told otherwise). */
    command(user: string, text: string, options: SignOptions & { channel?: string } = {}) {
      return signedPost(eventsUrl, commandBody(standin, user, text, options.channel), FORM, options);
    },

    /** An Events API callback; `eventId` is what Slack keeps when it sends the same event again. */
    event(event: Record<string, unknown>, options: SignOptions & { eventId?: string; retryNum?: number } = {}) {
      const body = JSON.stringify({
        token: "verification-token-unused",
        team_id: "T1",
        api_app_id: "A1",
        event: { event_ts: "1700000000.000100", ...event },
        type: "event_callback",
        event_id: options.eventId ?? `Ev${randomUUID().replace(/-/g, "").slice(0, 10)}`,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: "T1", user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
      });
      const headers: Record<string, string> =
        options.retryNum === undefined
          ? {}
          : { "x-slack-retry-num": String(options.retryNum), "x-slack-retry-reason": "http_timeout" };
      return signedPost(eventsUrl, body, "application/json", {
        ...options,
        headers: { ...headers, ...options.headers },
      });
    },

    /** A message typed in the bot's DM (Slack escapes &, < and >). */
    dm(user: string, text: string, options: { eventId?: string; retryNum?: number; files?: unknown[] } = {}) {
      return this.event(
        {
          type: "message",
          user,
          text: escapeMrkdwn(text),
          channel: dmOf(user),
          channel_type: "im",
          ts: "1700000000.000200",
          ...(options.files && { subtype: "file_share", files: options.files }),
        },
        options,
      );
    },

    interactive(payload: Record<string, unknown>, options: SignOptions = {}) {
      const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return signedPost(eventsUrl, body, FORM, options);
    },

    /** Presses a button of a message the stand-in received. */
    press(user: string, button: FoundButton) {
      const ephemeral = button.message.via !== "chat.postMessage";
      const channel = button.message.channel ?? "C0GENERAL";
      return this.interactive({
        type: "block_actions",
        user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: "T1" },
        api_app_id: "A1",
        token: "verification-token-unused",
        container: { type: "message", message_ts: button.message.ts, channel_id: channel, is_ephemeral: ephemeral },
        trigger_id: `trigger-${randomUUID()}`,
        team: { id: "T1", domain: "snv" },
        channel: { id: channel, name: "directmessage" },
        ...(ephemeral && { response_url: standin.responseUrl() }),
        actions: [
          {
            type: "button",
            action_id: button.actionId,
            block_id: button.blockId ?? "b",
            value: button.value,
            text: { type: "plain_text", text: button.label },
            action_ts: "1700000000.000300",
          },
        ],
      });
    },

    /** A button on the App Home tab (or a form), which has no message around it. */
    pressInView(user: string, actionId: string, value: string) {
      return this.interactive({
        type: "block_actions",
        user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: "T1" },
        api_app_id: "A1",
        token: "verification-token-unused",
        container: { type: "view", view_id: "VHOME" },
        trigger_id: `trigger-${randomUUID()}`,
        team: { id: "T1", domain: "snv" },
        view: { id: "VHOME", type: "home", callback_id: "", private_metadata: "", state: { values: {} } },
        actions: [{ type: "button", action_id: actionId, block_id: "b", value, action_ts: "1700000000.000400" }],
      });
    },

    /**
     * Submits a form the adapter opened, with `values` as Slack's view state. The answer (a view
     * to show next, or errors beside fields) goes through the Block Kit check like any view.
     */
    async submit(user: string, view: Record<string, unknown>, values: Record<string, Record<string, unknown>>) {
      const reply = await this.interactive({
        type: "view_submission",
        team: { id: "T1", domain: "snv" },
        user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: "T1" },
        api_app_id: "A1",
        token: "verification-token-unused",
        trigger_id: `trigger-${randomUUID()}`,
        view: {
          id: (view.id as string | undefined) ?? "VFORM",
          team_id: "T1",
          type: "modal",
          callback_id: view.callback_id,
          private_metadata: view.private_metadata ?? "",
          blocks: view.blocks ?? [],
          state: { values },
          hash: "h",
          title: view.title,
          root_view_id: "VFORM",
          previous_view_id: null,
          app_id: "A1",
          bot_id: "BBOT",
        },
        response_urls: [],
      });
      const problems = formAnswerProblems(reply.json, view);
      if (problems.length > 0) standin.rejected.push({ method: "view_submission answer", problems, args: reply.json! });
      return reply;
    },

    closeView(user: string, view: Record<string, unknown>) {
      return this.interactive({
        type: "view_closed",
        team: { id: "T1", domain: "snv" },
        user: { id: user, name: user.toLowerCase(), team_id: "T1" },
        api_app_id: "A1",
        token: "verification-token-unused",
        view: {
          id: view.id ?? "VFORM",
          callback_id: view.callback_id,
          private_metadata: view.private_metadata ?? "",
          state: { values: {} },
        },
        is_cleared: false,
      });
    },
  };
}

export interface FoundButton {
  message: Posted;
  label: string;
  value: string;
  actionId: string;
  blockId?: string;
}

export function unescapeMrkdwn(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

export function buttonsOf(message: Posted): FoundButton[] {
  return message.blocks.flatMap((block: SlackBlock) =>
    (block.elements ?? [])
      .filter((e) => e.type === "button")
      .map((e) => ({
        message,
        label: e.text.text,
        value: e.value ?? "",
        actionId: e.action_id,
        ...(block.block_id && { blockId: block.block_id }),
      })),
  );
}

/** The last button with this label among the messages the stand-in received. */
export function findButton(posted: readonly Posted[], label: string): FoundButton {
  for (const message of [...posted].reverse()) {
    const found = buttonsOf(message).find((b) => b.label === label);
    if (found) return found;
  }
  throw new Error(`no button "${label}" was sent`);
}

/** A message's rows of buttons, as the core's choices. */
export function choicesOf(message: Posted): Choice[][] {
  return message.blocks
    .filter((b) => b.type === "actions")
    .map((b) => (b.elements ?? []).map((e) => ({ label: e.text.text, value: e.value ?? "" })));
}

/** Slack's view state for the report form. */
export function reportState(values: {
  duty: string;
  status: string;
  percent?: string;
  note?: string;
  figures?: Record<string, string>;
}): Record<string, Record<string, unknown>> {
  const select = (value: string) => ({
    value: { type: "static_select", selected_option: { text: { type: "plain_text", text: value }, value } },
  });
  const text = (value: string | undefined) => ({ value: { type: "plain_text_input", value: value ?? null } });
  return {
    duty: select(values.duty),
    status: select(values.status),
    percent: text(values.percent),
    note: text(values.note),
    ...Object.fromEntries(Object.entries(values.figures ?? {}).map(([code, value]) => [`figure:${code}`, text(value)])),
  };
}

export function submitState(values: {
  number?: string;
  date?: string;
  files?: unknown[];
}): Record<string, Record<string, unknown>> {
  return {
    number: { value: { type: "plain_text_input", value: values.number ?? null } },
    date: { value: { type: "datepicker", selected_date: values.date ?? null } },
    file: { value: { type: "file_input", files: values.files ?? [] } },
  };
}
