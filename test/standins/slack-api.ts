// A small, honest stand-in for the parts of Slack the adapter talks to: the Web API methods it
// calls (form-encoded POSTs with the bot token in the Authorization header, answers as Slack gives
// them: HTTP 200 with ok:false and an error code, 429 with Retry-After, 5xx), response URLs, file
// downloads and the upload URLs of files.uploadV2. It records every call so tests can assert on
// what Slack would have received. Every message and view goes through the Block Kit check first:
// what Slack would refuse is refused here as Slack refuses it (invalid_blocks for messages,
// invalid_arguments for views, HTTP 400 at a response URL), and kept in `rejected`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseForm } from "node:querystring";
import { messageProblems, viewProblems } from "../helpers/block-kit.ts";

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
}

export interface Posted {
  /** chat.postMessage, chat.postEphemeral, chat.update, or a message sent to a response URL. */
  via: "chat.postMessage" | "chat.postEphemeral" | "chat.update" | "respond";
  channel: string | null;
  text: string;
  blocks: SlackBlock[];
  ts: string;
}

export interface SlackBlock {
  type: string;
  block_id?: string;
  text?: { type: string; text: string };
  elements?: { type: string; action_id: string; value?: string; text: { text: string } }[];
  accessory?: { type: string; action_id: string; value?: string; text: { text: string } };
  [key: string]: unknown;
}

export interface Rejected {
  method: string;
  problems: string[];
  args: Record<string, unknown>;
}

export interface FailWith {
  status?: number;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export interface SlackStandin {
  /** For SLACK_API_URL: the Web API root, ending in "/api/". */
  apiUrl: string;
  baseUrl: string;
  calls: ApiCall[];
  posted: Posted[];
  /** Messages and views refused by the Block Kit check, with what was wrong. */
  rejected: Rejected[];
  /** The next `times` calls of `method` get this answer instead. */
  failNext(method: string, answer: FailWith, times?: number): void;
  callsOf(method: string): ApiCall[];
  /** A response URL of this stand-in, for a slash command or a button in an ephemeral message. */
  responseUrl(): string;
  /** A file a person uploaded, downloadable with the bot token. */
  addFile(name: string, content: Uint8Array, mimetype?: string): { id: string; url: string };
  /** Bytes uploaded through files.uploadV2, by file id. */
  uploads: Map<string, { filename: string; content: Buffer; channel?: string }>;
  close(): Promise<void>;
}

export const BOT_TOKEN = "xoxb-test-token";
export const BOT_USER_ID = "UBOT";

/** The DM between the bot and a user, as conversations.open names it here. */
export const dmOf = (user: string) => `D${user}`;

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Form fields as the Web API receives them: objects and arrays arrive JSON-encoded. */
function decodeArgs(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(raw).map(([key, value]) => {
      if (typeof value === "string" && /^[[{]/.test(value)) {
        try {
          return [key, JSON.parse(value) as unknown];
        } catch {
          return [key, value];
        }
      }
      return [key, value];
    }),
  );
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  response.end(JSON.stringify(body));
}

export async function startSlackStandin(): Promise<SlackStandin> {
  const calls: ApiCall[] = [];
  const posted: Posted[] = [];
  const rejected: Rejected[] = [];
  const failures = new Map<string, { answer: FailWith; times: number }>();
  const files = new Map<string, { content: Uint8Array; name: string; mimetype: string }>();
  const uploads = new Map<string, { filename: string; content: Buffer; channel?: string }>();
  let sequence = 0;
  const ts = () => `1700000000.${String(++sequence).padStart(6, "0")}`;
  let baseUrl = "";

  function methodAnswer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case "auth.test":
        return { ok: true, user_id: BOT_USER_ID, bot_id: "BBOT", team_id: "T1", team: "Sở Nội vụ", user: "nhacviec" };
      case "conversations.open":
        return { ok: true, channel: { id: dmOf(String(args.users)) } };
      case "users.info": {
        const id = String(args.user);
        return {
          ok: true,
          user: {
            id,
            name: id.toLowerCase(),
            real_name: `Người ${id}`,
            profile: { display_name: "", real_name: `Người ${id}` },
          },
        };
      }
      case "chat.postMessage":
      case "chat.update": {
        const problems = messageProblems(args);
        if (problems.length > 0) return refuse(method, args, problems, "invalid_blocks");
        const message = record(method, args);
        return { ok: true, channel: message.channel, ts: message.ts, message: { text: message.text, ts: message.ts } };
      }
      case "chat.postEphemeral": {
        const problems = messageProblems(args);
        if (problems.length > 0) return refuse(method, args, problems, "invalid_blocks");
        return { ok: true, message_ts: record("chat.postEphemeral", args).ts };
      }
      case "views.open":
      case "views.update":
      case "views.push":
      case "views.publish": {
        const view = args.view as Record<string, unknown>;
        const problems = viewProblems(view, method === "views.publish" ? "home" : "modal");
        // Slack lists invalid_arguments (not invalid_blocks) for the views methods, with the details.
        if (problems.length > 0) return refuse(method, args, problems, "invalid_arguments");
        return { ok: true, view: { ...view, id: args.view_id ?? `V${++sequence}`, hash: "h" } };
      }
      case "files.getUploadURLExternal": {
        const id = `F${++sequence}`;
        uploads.set(id, { filename: String(args.filename), content: Buffer.alloc(0) });
        return { ok: true, upload_url: `${baseUrl}/upload/${id}`, file_id: id };
      }
      case "files.completeUploadExternal": {
        const list = (args.files as { id: string }[]) ?? [];
        for (const f of list) {
          const upload = uploads.get(f.id);
          if (upload) upload.channel = String(args.channel_id);
        }
        return { ok: true, files: list.map((f) => ({ id: f.id })) };
      }
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  function refuse(method: string, args: Record<string, unknown>, problems: string[], error: string) {
    rejected.push({ method, problems, args });
    return {
      ok: false,
      error,
      errors: problems,
      response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
    };
  }

  function record(via: Posted["via"], args: Record<string, unknown>): Posted {
    const message: Posted = {
      via,
      channel: typeof args.channel === "string" ? args.channel : null,
      text: typeof args.text === "string" ? args.text : "",
      blocks: Array.isArray(args.blocks) ? (args.blocks as SlackBlock[]) : [],
      ts: ts(),
    };
    posted.push(message);
    return message;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://localhost");
    const body = await readBody(request);
    if (url.pathname.startsWith("/api/")) {
      const method = url.pathname.slice("/api/".length);
      const contentType = request.headers["content-type"] ?? "";
      const args = contentType.startsWith("application/x-www-form-urlencoded")
        ? decodeArgs(parseForm(body.toString("utf8")))
        : contentType.startsWith("application/json")
          ? (JSON.parse(body.toString("utf8") || "{}") as Record<string, unknown>)
          : {};
      calls.push({ method, args });
      if (request.headers.authorization !== `Bearer ${BOT_TOKEN}`) {
        send(response, 200, { ok: false, error: "invalid_auth" });
        return;
      }
      const failure = failures.get(method);
      if (failure && failure.times > 0) {
        failure.times -= 1;
        const status = failure.answer.status ?? 200;
        send(response, status, failure.answer.body ?? { ok: false, error: "internal_error" }, failure.answer.headers);
        return;
      }
      send(response, 200, methodAnswer(method, args));
      return;
    }
    if (url.pathname.startsWith("/respond/")) {
      const args = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
      calls.push({ method: "respond", args });
      const problems = messageProblems(args);
      if (problems.length > 0) {
        // A response URL answers a refused message like an incoming webhook: 400 and the code alone.
        rejected.push({ method: "respond", problems, args });
        response.writeHead(400, { "content-type": "text/plain" });
        response.end("invalid_blocks");
        return;
      }
      record("respond", args);
      send(response, 200, { ok: true });
      return;
    }
    if (url.pathname.startsWith("/upload/")) {
      const id = url.pathname.slice("/upload/".length);
      const upload = uploads.get(id);
      if (!upload) {
        send(response, 404, { ok: false });
        return;
      }
      upload.content = body;
      response.writeHead(200, { "content-type": "text/plain" });
      response.end(`OK - ${body.length}`);
      return;
    }
    if (url.pathname.startsWith("/files/")) {
      const file = files.get(url.pathname.slice("/files/".length));
      // Slack answers a download without the token with its sign-in page, not the file.
      if (!file || request.headers.authorization !== `Bearer ${BOT_TOKEN}`) {
        response.writeHead(file ? 302 : 404, { location: "https://slack.com/signin" });
        response.end();
        return;
      }
      response.writeHead(200, { "content-type": file.mimetype, "content-length": String(file.content.length) });
      response.end(Buffer.from(file.content));
      return;
    }
    send(response, 404, { ok: false, error: "not_found" });
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) send(response, 500, { ok: false, error: "standin_failed" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  let responseUrls = 0;

  return {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    calls,
    posted,
    rejected,
    uploads,
    failNext(method, answer, times = 1) {
      failures.set(method, { answer, times });
    },
    callsOf: (method) => calls.filter((c) => c.method === method),
    responseUrl: () => `${baseUrl}/respond/${++responseUrls}`,
    addFile(name, content, mimetype = "application/pdf") {
      const id = `FU${++sequence}`;
      files.set(id, { content, name, mimetype });
      return { id, url: `${baseUrl}/files/${id}` };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
