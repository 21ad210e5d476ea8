// `npm run db:migration -- <name>`: writes the migration from the last commit's schema to the
// edited prisma/schema.prisma, for both databases, with the same folder name, and refreshes the
// PostgreSQL schema copy. No database is needed: `prisma migrate diff` compares the two files.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectRoot } from "../src/lib/paths.ts";
import { postgresSchemaFrom } from "../src/db/postgres-schema.ts";
import { semicolonsInLiterals, wrapPgMigration } from "../src/db/migrations-pg.ts";

const name = process.argv[2] ?? "";
if (!/^[a-z0-9_]{1,60}$/.test(name)) {
  process.stderr.write("usage: npm run db:migration -- <name>   (lower-case letters, digits and _)\n");
  process.exit(1);
}

const schemaPath = join(projectRoot, "prisma", "schema.prisma");
const current = readFileSync(schemaPath, "utf8");
const previous = execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { cwd: projectRoot, encoding: "utf8" });
if (previous === current) {
  process.stderr.write("prisma/schema.prisma has no change since the last commit: nothing to migrate.\n");
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), "nhacviec-migration-"));
try {
  const files = {
    sqlitePrevious: join(work, "previous.prisma"),
    pgPrevious: join(work, "previous-pg.prisma"),
    pgCurrent: join(projectRoot, "prisma", "postgres", "schema.prisma"),
  };
  writeFileSync(files.sqlitePrevious, previous);
  writeFileSync(files.pgPrevious, postgresSchemaFrom(previous));
  writeFileSync(files.pgCurrent, postgresSchemaFrom(current));

  const diff = (from: string, to: string, env: NodeJS.ProcessEnv) =>
    execFileSync(
      join(projectRoot, "node_modules", ".bin", "prisma"),
      ["migrate", "diff", "--from-schema-datamodel", from, "--to-schema-datamodel", to, "--script"],
      { cwd: projectRoot, encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] },
    );
  const sqlite = diff(files.sqlitePrevious, schemaPath, { DATABASE_URL: `file:${join(work, "unused.db")}` });
  const postgres = diff(files.pgPrevious, files.pgCurrent, {
    DATABASE_URL: "postgresql://unused@127.0.0.1:5432/unused",
    NHACVIEC_DIFF_ONLY: "1",
  });
  const trapped = semicolonsInLiterals(postgres);
  if (trapped.length) {
    process.stderr.write(`A ";" inside a literal would be split by Prisma's adapter: ${trapped.join(", ")}\n`);
    process.exit(1);
  }

  const folder = `${new Date().toISOString().replace(/\D/g, "").slice(0, 14)}_${name}`;
  for (const [dir, sql] of [
    [join(projectRoot, "prisma", "migrations", folder), sqlite],
    [join(projectRoot, "prisma", "postgres", "migrations", folder), wrapPgMigration(postgres)],
  ] as const) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "migration.sql"), sql);
  }
  process.stdout.write(`wrote prisma/migrations/${folder} and prisma/postgres/migrations/${folder}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
