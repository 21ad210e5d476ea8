import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { isPostgresUrl } from "./db/database-url.ts";
import type { Pace } from "./delivery/types.ts";
import type { ReportSettings } from "./reports/report-issuer.ts";
import { parseIsoInstant } from "./lib/time.ts";

// The only place that reads process.env. Everything else receives a validated Config.

/**
 * What each platform accepts: Telegram about 30 messages/s overall and 1/s to one chat, Slack
 * about 1/s per channel, Zalo's bot API about 10/s. Each can be overridden, as
 * TELEGRAM_SEND_PER_SECOND and TELEGRAM_SEND_CHAT_GAP_MS (likewise SLACK_ and ZALO_).
 */
export const DEFAULT_PACE = {
  telegram: { perSecond: 30, perChatMs: 1000 },
  slack: { perSecond: 20, perChatMs: 1000 },
  zalo: { perSecond: 10, perChatMs: 0 },
} as const satisfies Record<string, Pace>;

type PlatformName = keyof typeof DEFAULT_PACE;

function paceVariables<P extends string>(prefix: P, pace: Pace) {
  return {
    [`${prefix}_SEND_PER_SECOND`]: z.coerce.number().positive().max(10_000).default(pace.perSecond),
    [`${prefix}_SEND_CHAT_GAP_MS`]: z.coerce.number().int().min(0).max(3_600_000).default(pace.perChatMs),
  } as Record<`${P}_SEND_PER_SECOND` | `${P}_SEND_CHAT_GAP_MS`, z.ZodDefault<z.ZodCoercedNumber>>;
}

export const DEFAULT_DATABASE_URL = "file:./data/nhacviec.db";

const httpUrl = z
  .string()
  .trim()
  .refine((v) => /^https?:\/\/[^\s]+$/.test(v) && URL.canParse(v), { message: "must be an http(s) URL" });
// Telegram and Zalo both refuse a webhook that is not HTTPS (Telegram's setWebhook says so, and the
// adapter would retry it for ever). The API roots stay http(s): a stand-in or a local Bot API server.
const webhookUrl = z
  .string()
  .trim()
  .refine((v) => /^https:\/\/[^\s]+$/.test(v) && URL.canParse(v), {
    message: "must be an https:// URL (the platform accepts webhooks over HTTPS only)",
  });
// Telegram's rule for secret_token, which Zalo's webhook shares: 1–256 of A-Z, a-z, 0-9, _ and -.
const webhookSecret = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,256}$/, { message: "must be 1-256 characters of A-Z, a-z, 0-9, _ and -" });

// One line of a document's header: no line breaks, and short enough to fit its column.
const reportText = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .refine((v) => !/[\r\n]/.test(v), { message: "must be one line" });
const reportSymbol = z
  .string()
  .trim()
  .regex(/^[\p{L}\d][\p{L}\d&.-]{0,19}$/u, { message: 'must be letters, digits, "&", "." or "-", e.g. "SNV"' });

/** The draft report's settings, as the REPORT_* variables and the export command's options give them. */
export const ReportSettingsSchema = z.object({
  issuer: reportText.optional(),
  parent: reportText.optional(),
  symbol: reportSymbol.optional(),
  place: reportText.optional(),
  signer: reportText.optional(),
});

const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .default(DEFAULT_DATABASE_URL)
    .refine((v) => v.startsWith("file:") || (isPostgresUrl(v) && URL.canParse(v)), {
      message:
        'must be a SQLite file URL such as "file:./data/nhacviec.db" or a PostgreSQL URL such as "postgresql://user@host:5432/nhacviec"',
    }),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  DEFAULT_LOCALE: z.enum(["vi", "en"]).default("vi"),
  INVITE_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  TELEGRAM_BOT_TOKEN: z.string().trim().optional(),
  TELEGRAM_BOT_USERNAME: z.string().trim().optional(),
  TELEGRAM_API_ROOT: httpUrl.optional(),
  TELEGRAM_WEBHOOK_URL: webhookUrl.optional(),
  TELEGRAM_WEBHOOK_SECRET: webhookSecret.optional(),
  SLACK_BOT_TOKEN: z.string().trim().optional(),
  SLACK_APP_TOKEN: z.string().trim().optional(),
  SLACK_SIGNING_SECRET: z.string().trim().optional(),
  SLACK_API_URL: httpUrl.optional(),
  SLACK_DIGEST_CHANNEL: z.string().trim().optional(),
  ZALO_BOT_TOKEN: z.string().trim().optional(),
  ZALO_API_ROOT: httpUrl.optional(),
  ZALO_WEBHOOK_URL: webhookUrl.optional(),
  // Zalo's setWebhook takes a secret of 8 to 256 characters.
  ZALO_WEBHOOK_SECRET: webhookSecret
    .refine((v) => v.length >= 8, { message: "must be at least 8 characters" })
    .optional(),
  ZALO_BOT_LINK: httpUrl.optional(),
  PUBLIC_BASE_URL: httpUrl.optional(),
  HOST: z.string().trim().default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  // Who issues the draft report (export --format docx, /baocaotonghop); unset: the plan's province's Sở Nội vụ.
  REPORT_ISSUER: reportText.optional(),
  REPORT_ISSUER_PARENT: reportText.optional(),
  REPORT_SYMBOL: reportSymbol.optional(),
  REPORT_PLACE: reportText.optional(),
  REPORT_SIGNER: reportText.optional(),
  NOW: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const instant = parseIsoInstant(v);
      if (!instant)
        ctx.addIssue({ code: "custom", message: 'must be an ISO instant such as "2026-12-01T08:00+07:00"' });
      return instant ?? undefined;
    }),
  ...paceVariables("TELEGRAM", DEFAULT_PACE.telegram),
  ...paceVariables("SLACK", DEFAULT_PACE.slack),
  ...paceVariables("ZALO", DEFAULT_PACE.zalo),
});

/** The webhook secrets a platform needs in webhook (HTTP) mode. */
function missingSecrets(e: z.output<typeof EnvSchema>): string[] {
  return [
    e.TELEGRAM_BOT_TOKEN && e.TELEGRAM_WEBHOOK_URL && !e.TELEGRAM_WEBHOOK_SECRET && "TELEGRAM_WEBHOOK_SECRET",
    e.ZALO_BOT_TOKEN && e.ZALO_WEBHOOK_URL && !e.ZALO_WEBHOOK_SECRET && "ZALO_WEBHOOK_SECRET",
    e.SLACK_BOT_TOKEN && !e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET && "SLACK_SIGNING_SECRET",
  ].filter((name): name is string => typeof name === "string");
}

/** A webhook when both its URL and its secret are set (a URL without its secret is refused above). */
function webhook(url: string | undefined, secret: string | undefined): { url: string; secret: string } | null {
  return url && secret ? { url, secret } : null;
}

/** The settings as the rest of the bot reads them, made from the environment's variables. */
const ConfigSchema = EnvSchema.transform((e, ctx) => {
  const missing = missingSecrets(e);
  for (const name of missing)
    ctx.addIssue({ code: "custom", path: [name], message: "required in webhook (HTTP) mode" });
  if (missing.length) return z.NEVER;
  const report: ReportSettings = {
    ...(e.REPORT_ISSUER && { issuer: e.REPORT_ISSUER }),
    ...(e.REPORT_ISSUER_PARENT && { parent: e.REPORT_ISSUER_PARENT }),
    ...(e.REPORT_SYMBOL && { symbol: e.REPORT_SYMBOL }),
    ...(e.REPORT_PLACE && { place: e.REPORT_PLACE }),
    ...(e.REPORT_SIGNER && { signer: e.REPORT_SIGNER }),
  };
  const pace: Record<PlatformName, Pace> = {
    telegram: { perSecond: e.TELEGRAM_SEND_PER_SECOND, perChatMs: e.TELEGRAM_SEND_CHAT_GAP_MS },
    slack: { perSecond: e.SLACK_SEND_PER_SECOND, perChatMs: e.SLACK_SEND_CHAT_GAP_MS },
    zalo: { perSecond: e.ZALO_SEND_PER_SECOND, perChatMs: e.ZALO_SEND_CHAT_GAP_MS },
  };
  return {
    /** Absolute file: URL, so the CLI, the bot and Prisma agree whatever the working directory. */
    databaseUrl: absoluteDatabaseUrl(e.DATABASE_URL),
    /** Unset: the caller picks (warn where logs share the terminal with the chat). */
    logLevel: e.LOG_LEVEL,
    defaultLocale: e.DEFAULT_LOCALE,
    inviteTtlDays: e.INVITE_TTL_DAYS,
    telegram: e.TELEGRAM_BOT_TOKEN
      ? {
          token: e.TELEGRAM_BOT_TOKEN,
          username: e.TELEGRAM_BOT_USERNAME,
          apiRoot: e.TELEGRAM_API_ROOT,
          /** Set: webhook mode at this URL's path, with the secret; unset: long polling. */
          webhook: webhook(e.TELEGRAM_WEBHOOK_URL, e.TELEGRAM_WEBHOOK_SECRET),
        }
      : null,
    slack: e.SLACK_BOT_TOKEN
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          appToken: e.SLACK_APP_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          apiUrl: e.SLACK_API_URL,
          digestChannel: e.SLACK_DIGEST_CHANNEL,
        }
      : null,
    zalo: e.ZALO_BOT_TOKEN
      ? {
          token: e.ZALO_BOT_TOKEN,
          apiRoot: e.ZALO_API_ROOT,
          webhook: webhook(e.ZALO_WEBHOOK_URL, e.ZALO_WEBHOOK_SECRET),
          botLink: e.ZALO_BOT_LINK,
        }
      : null,
    /** Where people reach this server from outside (signed file links); unset: no links. */
    publicBaseUrl: e.PUBLIC_BASE_URL,
    /** Where the HTTP server (health, webhooks) listens; port 0 picks a free one. */
    http: { host: e.HOST, port: e.PORT },
    /** NOW: the process's clock starts at this instant, then runs at real speed (tests, demonstrations). */
    startAt: e.NOW,
    /** The draft report's issuing body, its symbol, place and signer (REPORT_*); unset parts default per plan. */
    report,
    pace,
  };
});

/** The validated settings: exactly what the schema makes of the environment. */
export type Config = z.output<typeof ConfigSchema>;

export class ConfigError extends Error {
  readonly code = "config.invalid";
}

export function absoluteDatabaseUrl(url: string, cwd = process.cwd()): string {
  if (isPostgresUrl(url)) return url;
  const path = url.slice("file:".length);
  return `file:${resolve(cwd, path)}`;
}

/**
 * Validates the settings. Without an explicit `env`, a `.env` file in the working directory is
 * read first; variables already set in the environment win over it.
 */
export function loadConfig(env?: NodeJS.ProcessEnv): Config {
  if (!env && existsSync(".env")) process.loadEnvFile(".env");
  env ??= process.env;
  // An empty line in .env (TELEGRAM_BOT_TOKEN=) means "not configured", not "configured as empty".
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const parsed = ConfigSchema.safeParse(set);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(problems);
  }
  return parsed.data;
}
