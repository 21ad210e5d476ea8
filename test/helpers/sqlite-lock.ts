import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { root } from "./processes.ts";

/**
 * A separate process that takes SQLite's write lock on the file at `path` and keeps it until told
 * to let go, as a backup, a large import or the sqlite3 shell would.
 */
export async function holdWriteLock(path: string): Promise<{ release(): Promise<void> }> {
  const script = `
    const Database = require("better-sqlite3");
    const db = new Database(process.argv[1]);
    db.exec("BEGIN IMMEDIATE");
    db.prepare("INSERT INTO CalendarDay (date, kind, name) VALUES ('2099-01-01', 'holiday', 'khóa')").run();
    process.stdout.write("locked\\n");
    process.stdin.once("data", () => { db.exec("ROLLBACK"); db.close(); process.exit(0); });
  `;
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ["-e", script, path], { cwd: root });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`lock holder exited ${code}`)));
  });
  return {
    release: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin.write("release\n");
      }),
  };
}
