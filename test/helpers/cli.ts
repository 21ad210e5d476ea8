import { runCli } from "../../src/cli/index.ts";

/** Runs the CLI in this process on the database at `url`, collecting what it writes. */
export async function runCliOn(url: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(
    args,
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    { DATABASE_URL: url, LOG_LEVEL: "silent", ...env },
  );
  return { code, stdout, stderr };
}
