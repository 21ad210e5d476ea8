// Writes prisma/postgres/schema.prisma from prisma/schema.prisma, the only schema anyone edits.
// Prisma allows one provider per schema, so PostgreSQL gets a copy with its own provider and client
// folder. `--check` exits 1 when the copy is stale (test/db/postgres-schema.test.ts runs it).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { postgresSchemaFrom } from "../src/db/postgres-schema.ts";

const source = fileURLToPath(new URL("../prisma/schema.prisma", import.meta.url));
const target = fileURLToPath(new URL("../prisma/postgres/schema.prisma", import.meta.url));
const wanted = postgresSchemaFrom(readFileSync(source, "utf8"));
let current = "";
try {
  current = readFileSync(target, "utf8");
} catch {
  // No copy yet.
}
if (process.argv.includes("--check")) {
  if (current !== wanted) {
    process.stderr.write("prisma/postgres/schema.prisma is stale: run `npm run db:pg-schema` and commit it.\n");
    process.exitCode = 1;
  }
} else if (current !== wanted) {
  writeFileSync(target, wanted);
  process.stdout.write("wrote prisma/postgres/schema.prisma\n");
}
