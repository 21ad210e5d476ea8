import cron from "node-cron";
import { runConsoleChat } from "../adapters/console/console-chat.ts";
import { createConsoleDeliverer } from "../adapters/console/console-deliverer.ts";
import { createApp } from "./app.ts";
import { systemClock } from "./clock.ts";
import { loadConfig } from "./config.ts";
import { vi } from "./i18n/vi.ts";
import { createLogger } from "./logger.ts";
import { ensureLocalAdmin } from "./services/contact-service.ts";
import { TIME_ZONE } from "./time.ts";

// Composition root. With no platform token configured it runs the local console chat as the
// built-in administrator; the reminder engine ticks every minute either way.
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel ?? "warn");
  const clock = systemClock;
  const deliverer = createConsoleDeliverer((text) => process.stderr.write(text));
  const app = await createApp({ config, logger, clock, deliverer });
  if (config.telegram || config.slack) {
    logger.warn(
      "a platform token is set, but the Telegram and Slack adapters are not wired in yet: running the console chat",
    );
  }

  // node-cron is only the trigger: the engine decides from the clock and the outbox what is due,
  // so a missed tick is caught up by the next one.
  let ticking = false;
  const task = cron.schedule(
    "* * * * *",
    async () => {
      if (ticking) return;
      ticking = true;
      try {
        await app.tick();
      } catch (error) {
        logger.error({ err: error }, "reminder tick failed");
      } finally {
        ticking = false;
      }
    },
    { timezone: TIME_ZONE },
  );
  await app.tick();

  const identity = { platform: "console", userId: "admin", chatId: "admin", displayName: vi.cli.localAdminName };
  await ensureLocalAdmin({ db: app.db, clock }, identity);
  process.stderr.write(`${vi.cli.chatBanner}\n`);
  await runConsoleChat({
    core: app.core,
    identity,
    input: process.stdin,
    write: (t) => process.stdout.write(t),
    afterEach: app.flush,
  });
  await task.stop();
  await app.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
