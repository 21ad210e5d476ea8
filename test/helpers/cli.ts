import { Readable } from "node:stream";
import { runCli } from "../../src/cli/index.ts";

/** Runs the CLI in this process on the database at `url`, collecting what it writes. */
export async function runCliOn(url: string, args: string[], env: NodeJS.ProcessEnv = {}, input = "") {
  let stdout = "";
  let stderr = "";
  const code = await runCli(
    args,
    // Standard input is `input` and then its end, as for a script piped in: a chat ends with it.
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), stdin: Readable.from([input]) },
    { DATABASE_URL: url, LOG_LEVEL: "silent", ...env },
  );
  return { code, stdout, stderr };
}
