import { accessSync, constants, existsSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { vi as m } from "../i18n/vi.ts";
import { CliError } from "./command.ts";

/** Checked before anything is written: a file we could not create must not cost 95 orphaned invites. */
export function checkOutputPath(path: string): string {
  const target = resolve(path);
  const dir = dirname(target);
  try {
    if (!statSync(dir).isDirectory()) throw new CliError(m.cli.outputUnwritable(path));
    accessSync(dir, constants.W_OK);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(m.cli.outputUnwritable(path));
  }
  if (existsSync(target) && statSync(target).isDirectory()) throw new CliError(m.cli.outputUnwritable(path));
  return target;
}

/** Writes beside the target, then renames: a reader never sees half a file. */
export async function writeFileAtomically(target: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    await write(tmp);
    renameSync(tmp, target);
  } finally {
    rmSync(tmp, { force: true });
  }
}

export function readInputFile(path: string | undefined, what: string): string {
  if (!path) throw new CliError(m.cli.missingArgument(what));
  try {
    if (!statSync(path).isFile()) throw new CliError(m.cli.fileUnreadable(path));
    return readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(
      (error as NodeJS.ErrnoException).code === "ENOENT" ? m.cli.fileMissing(path) : m.cli.fileUnreadable(path),
    );
  }
}
