import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../src/db.ts";

// Migrate once into a template, the way every start does; each test file then copies it to its
// own throwaway file, which is far faster than migrating per file and still the real schema.
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), "nhacviec-test-"));
  const templatePath = join(dir, "template.db");
  await migrateDatabase(`file:${templatePath}`);
  project.provide("templateDbPath", templatePath);
  project.provide("testTmpDir", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDbPath: string;
    testTmpDir: string;
  }
}
