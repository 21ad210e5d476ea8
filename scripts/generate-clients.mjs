// Generates both Prisma clients from one schema (see prisma.config.ts): the URL's scheme picks the
// schema, and the SQLite and PostgreSQL clients go to their own folders under src/generated.
import { execFileSync } from "node:child_process";

const prisma = new URL("../node_modules/.bin/prisma", import.meta.url).pathname;
for (const url of ["file:./data/nhacviec.db", "postgresql://unused@127.0.0.1:5432/unused"]) {
  execFileSync(prisma, ["generate"], { stdio: "inherit", env: { ...process.env, DATABASE_URL: url } });
}
