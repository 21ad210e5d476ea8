import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { committedMigrations } from "../../src/db/migrations.ts";
import { migrationBody, PG_MIGRATIONS_DIR, semicolonsInLiterals, wrapPgMigration } from "../../src/db/migrations-pg.ts";
import { projectRoot } from "../../src/lib/paths.ts";
import { postgresSchemaFrom } from "../../src/db/postgres-schema.ts";

// Checks that need no database: the PostgreSQL copy of the schema and its migrations are kept in
// step with the SQLite ones, and no migration can be cut wrongly by Prisma's splitter.

const prisma = join(projectRoot, "prisma");

describe("the PostgreSQL schema and migrations", () => {
  it("keeps prisma/postgres/schema.prisma current (npm run db:pg-schema writes it)", () => {
    const wanted = postgresSchemaFrom(readFileSync(join(prisma, "schema.prisma"), "utf8"));
    expect(readFileSync(join(prisma, "postgres", "schema.prisma"), "utf8")).toBe(wanted);
    expect(wanted).toContain('provider = "postgresql"');
    expect(wanted).not.toContain('provider = "sqlite"');
  });

  it("has a PostgreSQL migration for every SQLite migration, under the same name", () => {
    const names = (dir: string) =>
      readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort();
    expect(names(PG_MIGRATIONS_DIR)).toEqual(names(join(prisma, "migrations")));
    expect(names(PG_MIGRATIONS_DIR).length).toBeGreaterThanOrEqual(5);
  });

  it("runs each PostgreSQL migration in one transaction, with no ';' inside a literal", () => {
    for (const migration of committedMigrations(PG_MIGRATIONS_DIR)) {
      expect(migration.sql.match(/^BEGIN;$/gm), migration.name).toHaveLength(1);
      expect(migration.sql.trimEnd().endsWith("COMMIT;"), migration.name).toBe(true);
      expect(semicolonsInLiterals(migration.sql), migration.name).toEqual([]);
      expect(migrationBody(migration.sql)).not.toMatch(/^\s*(BEGIN|COMMIT);/m);
    }
  });

  it("finds the splitter's traps: ';' in strings, quoted names and dollar-quoted bodies, not in comments", () => {
    expect(semicolonsInLiterals(`UPDATE "A" SET b = 'x;y';`)).toEqual(["'x;y'"]);
    expect(semicolonsInLiterals(`UPDATE "A" SET b = 'it''s;';`)).toEqual(["'it''s;'"]);
    expect(semicolonsInLiterals(`CREATE TABLE "odd;name" (id INT);`)).toEqual(['"odd;name"']);
    expect(semicolonsInLiterals("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;")).toHaveLength(1);
    expect(semicolonsInLiterals("-- it's fine; really\nSELECT 'a'; /* also; fine */ SELECT 1;")).toEqual([]);
  });

  it("wraps new migrations the way the committed ones are wrapped", () => {
    const wrapped = wrapPgMigration('ALTER TABLE "Plan" ADD COLUMN "x" TEXT;\n');
    expect(wrapped).toMatch(/^-- .*\nBEGIN;\n\nALTER TABLE "Plan" ADD COLUMN "x" TEXT;\n\nCOMMIT;\n$/);
    expect(migrationBody(wrapped).trim()).toMatch(/^-- .*\n+ALTER TABLE "Plan" ADD COLUMN "x" TEXT;$/);
  });
});
