import { accessSync, constants, existsSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { vi as m } from "../i18n/vi.ts";
import { CliError } from "./command.ts";

/** What a command that writes a file has not done when the file cannot be written: its fault line says so. */
export type NotDone = keyof typeof m.cli.notDone;

/**
 * Checked before anything is written or created: a file we could not create must not cost 95
 * orphaned invites. The refusal names what was not done (no invite, no backup, no export).
 */
export function checkOutputPath(path: string, notDone: NotDone): string {
  const target = resolve(path);
  const dir = dirname(target);
  const unwritable = () => new CliError(m.cli.outputUnwritable(path, m.cli.notDone[notDone]));
  try {
    if (!statSync(dir).isDirectory()) throw unwritable();
    accessSync(dir, constants.W_OK);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw unwritable();
  }
  if (existsSync(target) && statSync(target).isDirectory()) {
    throw new CliError(m.cli.outputIsFolder(path, m.cli.notDone[notDone]));
  }
  return target;
}

/** A failure of the file system itself (full, read-only, refused), as opposed to a fault in the program. */
export function isFileSystemError(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException | null)?.syscall === "string";
}

/**
 * Writes beside the target, then renames: a reader never sees half a file. A write the file system
 * refuses although the folder looked writable (a full disk, a read-only mount, a folder like /proc
 * where root passes the check) is one line naming the file and what was not done.
 */
export async function writeFileAtomically(
  target: string,
  notDone: NotDone,
  write: (tmp: string) => Promise<void>,
): Promise<void> {
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    await write(tmp);
    renameSync(tmp, target);
  } catch (error) {
    if (isFileSystemError(error)) throw new CliError(m.cli.outputFailed(target, m.cli.notDone[notDone]));
    throw error;
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
