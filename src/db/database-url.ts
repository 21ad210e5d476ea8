// One place that tells the two databases apart: a `file:` URL is the embedded SQLite file, a
// `postgresql://` (or `postgres://`) URL a PostgreSQL server. Imported by prisma.config.ts too,
// so the CLI and the bot always agree on which schema, migrations and adapter a URL means.

export type DatabaseKind = "sqlite" | "postgresql";

const POSTGRES = /^postgres(?:ql)?:\/\//i;

export function databaseKind(url: string): DatabaseKind {
  return POSTGRES.test(url) ? "postgresql" : "sqlite";
}

export function isPostgresUrl(url: string): boolean {
  return POSTGRES.test(url);
}

/** What node-postgres takes as separate fields. */
export interface PgConnectionFields {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  /** Kept from `?schema=` only to refuse it: the bot's tables live in the database's default schema. */
  options?: string;
}

/**
 * Separate fields rather than the connection string: Prisma's migration engine replaces only the
 * `database` field for its temporary databases, and node-postgres lets a connection string win
 * over that (the PostgreSQL note in ../shared/notes). `?host=/run/postgresql` picks a socket folder.
 */
export function pgConnectionFields(url: string): PgConnectionFields {
  const u = new URL(url);
  const socketHost = u.searchParams.get("host");
  const database = decodeURIComponent(u.pathname.replace(/^\//, ""));
  return {
    host: socketHost ?? (u.hostname || "127.0.0.1"),
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username) || "postgres",
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    database: database || "postgres",
  };
}

/** The URL with its password hidden, for logs, health and error messages. */
export function redactDatabaseUrl(url: string): string {
  if (!isPostgresUrl(url)) return url;
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}
