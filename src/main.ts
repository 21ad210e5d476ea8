import { runConsoleChat } from "../adapters/console/console-chat.ts";
import { createConsoleDeliverer } from "../adapters/console/console-deliverer.ts";
import { createApp } from "./app.ts";
import { systemClock } from "./clock.ts";
import { loadConfig } from "./config.ts";
import { vi } from "./i18n/vi.ts";
import { createLogger } from "./logger.ts";
import { ensureLocalAdmin } from "./services/contact-service.ts";

// Composition root: with no platform token configured, run the local console chat as the
// built-in administrator against the embedded database and the bundled plan.
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const write = (text: string) => process.stderr.write(text);
  const app = await createApp({ config, logger, clock: systemClock, deliverer: createConsoleDeliverer(write) });
  const identity = { platform: "console", userId: "admin", chatId: "admin", displayName: vi.cli.localAdminName };
  await ensureLocalAdmin({ db: app.db, clock: systemClock }, identity);
  process.stderr.write(`${vi.cli.chatBanner}\n`);
  await runConsoleChat({ core: app.core, identity, input: process.stdin, write: (t) => process.stdout.write(t) });
  await app.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
