import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";

// The only place that reads process.env. Everything else receives a validated Config.

export const DEFAULT_DATABASE_URL = "file:./data/nhacviec.db";

const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .refine((v) => v.startsWith("file:"), { message: 'must be a SQLite file URL such as "file:./data/nhacviec.db"' }),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  DEFAULT_LOCALE: z.enum(["vi", "en"]).default("vi"),
  INVITE_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  TELEGRAM_BOT_TOKEN: z.string().trim().optional(),
  TELEGRAM_BOT_USERNAME: z.string().trim().optional(),
  SLACK_BOT_TOKEN: z.string().trim().optional(),
  SLACK_APP_TOKEN: z.string().trim().optional(),
  SLACK_SIGNING_SECRET: z.string().trim().optional(),
});

export interface Config {
  /** Absolute file: URL, so the CLI, the bot and Prisma agree whatever the working directory. */
  databaseUrl: string;
  /** Unset: the caller picks (warn where logs share the terminal with the chat). */
  logLevel: z.infer<typeof EnvSchema>["LOG_LEVEL"];
  defaultLocale: "vi" | "en";
  inviteTtlDays: number;
  telegram: { token: string; username: string | undefined } | null;
  slack: { botToken: string; appToken: string | undefined; signingSecret: string | undefined } | null;
}

export class ConfigError extends Error {
  readonly code = "config.invalid";
}

export function absoluteDatabaseUrl(url: string, cwd = process.cwd()): string {
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
  const parsed = EnvSchema.safeParse(set);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(`Invalid environment configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: absoluteDatabaseUrl(e.DATABASE_URL),
    logLevel: e.LOG_LEVEL,
    defaultLocale: e.DEFAULT_LOCALE,
    inviteTtlDays: e.INVITE_TTL_DAYS,
    telegram: e.TELEGRAM_BOT_TOKEN ? { token: e.TELEGRAM_BOT_TOKEN, username: e.TELEGRAM_BOT_USERNAME } : null,
    slack: e.SLACK_BOT_TOKEN
      ? { botToken: e.SLACK_BOT_TOKEN, appToken: e.SLACK_APP_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET }
      : null,
  };
}
