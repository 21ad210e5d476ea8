// A fresh clone has no data/ (it is git-ignored) and `prisma migrate deploy` fails with an opaque
// "External error" when the SQLite file's folder is missing, so create it first.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";

const url = process.env.DATABASE_URL ?? "file:./data/nhacviec.db";
if (url.startsWith("file:")) {
  mkdirSync(dirname(resolve(url.slice("file:".length))), { recursive: true });
}
