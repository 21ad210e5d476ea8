import type { Config } from "../../src/config.ts";
import type { AdapterHost } from "../../src/delivery/adapter-host.ts";
import type { AdapterState, DeliveryTarget, HttpRoute, Pace, PlatformAdapter } from "../../src/delivery/types.ts";
import type { OutgoingMessage } from "../../src/model/messages.ts";
import { createInFlight } from "../kit/in-flight.ts";
import { createBoltApp } from "./bolt-app.ts";
import { toDeliveryError } from "./errors.ts";
import * as actions from "./listeners/actions/index.ts";
import * as commands from "./listeners/commands/index.ts";
import * as events from "./listeners/events/index.ts";
import * as views from "./listeners/views/index.ts";
import { digestChannelOf, postPart, SLACK_LIMITS, SLACK_PLATFORM } from "./sending.ts";
import { createSurface } from "./surface.ts";

export { SLACK_RETRY_CONFIG } from "./bolt-app.ts";

/** Slack waits 3 s for a form's answer; what the core decides within this goes in the answer itself. */
const FORM_BUDGET_MS = 2000;

export interface SlackAdapter extends PlatformAdapter {
  /** Resolves once every event received so far has been handled completely (tests, shutdown). */
  settled(): Promise<void>;
}

/**
 * Slack through Bolt: the slash command /nhacviec, the report and submission forms, App Home and
 * the Messages tab, over HTTP on the shared server (/slack/events) or over Socket Mode when an app
 * token is set. Every decision is the core's; this only translates.
 */
export function createSlackAdapter(deps: {
  config: NonNullable<Config["slack"]>;
  pace: Pace;
  host: AdapterHost;
  formBudgetMs?: number;
}): SlackAdapter {
  const { config, host } = deps;
  const logger = host.logger;
  let state: AdapterState = "idle";
  // Events, and the pushes forms begin, in flight: stopping waits for them.
  const inFlight = createInFlight();
  const track = (work: Promise<unknown>) =>
    void inFlight.track(
      work.catch((error: unknown) => logger.error({ err: error, platform: SLACK_PLATFORM }, "slack: work failed")),
    );
  const settled = () => inFlight.drained();
  const formBudgetMs = deps.formBudgetMs ?? FORM_BUDGET_MS;
  const accepting = () => state === "running";
  const { app, client, pushClient, route } = createBoltApp(config, host, { track, formBudgetMs, accepting });

  const surface = createSurface({ host, client, botToken: config.botToken, logger, track, formBudgetMs });
  for (const listeners of [commands, actions, views, events]) listeners.register(app, surface);

  // Pushes and the digest hand rate limits to the outbox instead of waiting them out.
  const pusher = { client: pushClient, keys: surface.keys };
  const digestChannel = config.digestChannel ? digestChannelOf(pusher, config.digestChannel) : undefined;

  return {
    name: SLACK_PLATFORM,
    limits: SLACK_LIMITS,
    pace: deps.pace,
    state: () => state,
    ...(digestChannel && { digestChannel }),
    routes: (): HttpRoute[] => (route ? [route] : []),
    settled,
    async start() {
      state = "starting";
      try {
        // Over HTTP the shared server listens, and the route takes requests once the adapter runs.
        if (!route) await app.start();
        state = "running";
      } catch (error) {
        state = "failed";
        throw error;
      }
    },
    async stop() {
      state = "stopping";
      // New requests get 503 from now on (Slack sends them again), or the socket closes; then drains.
      if (!route) await app.stop().catch((error: unknown) => logger.warn({ err: error }, "slack: socket close failed"));
      await settled();
      state = "stopped";
    },
    async deliver(target: DeliveryTarget, message: OutgoingMessage) {
      try {
        // One part of the outbox's split (delivery/send-job.ts), within SLACK_LIMITS already.
        return { messageId: await postPart(pusher, target.chatId, message) };
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
  };
}
