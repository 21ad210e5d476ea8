// What `npm start` runs: builds dist/ (scripts/build.mjs, in a child process so esbuild's memory
// and service process do not stay in the bot's), then runs the bundle in this very process.
//
// One process from npm's point of view, whatever signal comes from wherever: package.json starts
// this script with `exec`, so the shell npm runs scripts in is replaced by node rather than left in
// between (a shell that dies of SIGTERM leaves the bot running with no parent, and npm reports the
// shell's death as its own exit status 143). npm forwards SIGINT and SIGTERM to this process and
// exits with its status; the bot stops cleanly on either and exits 0 (src/main.ts).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const SIGNALS = ["SIGINT", "SIGTERM"];
let requested = null;
let building = null;
const remember = (signal) => {
  requested ??= signal;
  building?.kill(signal);
};
// Until the bot has its own handlers, a signal must not kill the process with it.
for (const signal of SIGNALS) process.on(signal, remember);

building = spawn(process.execPath, [fileURLToPath(new URL("build.mjs", import.meta.url))], {
  cwd: fileURLToPath(new URL("..", import.meta.url)),
  stdio: ["ignore", "inherit", "inherit"],
});
const [code] = await once(building, "exit");
building = null;
// Stopped while building: nothing runs yet, so nothing is left to stop.
if (requested) process.exit(0);
if (code !== 0) process.exit(code ?? 1);

// Evaluating main.mjs installs the bot's own handlers before anything else; a signal that came
// while it loaded is handed over to them.
await import(new URL("../dist/main.mjs", import.meta.url).href);
for (const signal of SIGNALS) process.off(signal, remember);
if (requested) process.kill(process.pid, requested);
