import { isDatabaseBusy } from "../db-errors.ts";
import { cleanInput, cleanName, INPUT_MAX_LENGTH } from "../domain/clean-text.ts";
import { isAppError, type ErrorCode } from "../errors.ts";
import { errorText } from "../i18n/error-text.ts";
import { messagesFor } from "../i18n/index.ts";
import { findPersonByIdentity, type Role } from "../services/invite-service.ts";
import { mayReportFigures } from "../services/progress-service.ts";
import { commandKey, commandsForRole, findCommand, type Command, type CommandName } from "./commands.ts";
import { Ctx, type BotDeps, type Member } from "./context.ts";
import * as coord from "./features/coordinator.ts";
import * as difficulty from "./features/difficulty.ts";
import * as exports from "./features/export.ts";
import { join, link, looksLikeInviteCode } from "./features/join.ts";
import { pause, resume } from "./features/pause.ts";
import * as report from "./features/report.ts";
import * as submit from "./features/submit.ts";
import type { BotCore, IncomingEvent, Reply, ReplyOutcome } from "./types.ts";
import { START_REPORT, START_SUBMIT } from "../i18n/views.ts";

export type { BotDeps };

type Handler = (ctx: Ctx, args: string, event: IncomingEvent) => Promise<void>;

// Keyed by the registry's names, so a command in the registry without a handler does not compile.
const HANDLERS: Record<CommandName, Handler> = {
  batdau: (ctx, args) => join(ctx, args),
  nhiemvu: (ctx) => report.showDuties(ctx),
  baocao: (ctx) => report.startReport(ctx),
  nopbaocao: (ctx, args, e) => submit.startSubmit(ctx, args, e.kind === "command" ? e.attachment : undefined),
  vuongmac: (ctx, args) => difficulty.raise(ctx, args),
  chitieu: (ctx, args) => report.figures(ctx, args),
  kehoach: (ctx) => coord.planSummary(ctx),
  tongquan: (ctx, args) => coord.overview(ctx, args),
  quahan: (ctx) => coord.overdue(ctx),
  nhac: (ctx, args) => coord.remind(ctx, args),
  moi: (ctx, args) => coord.invite(ctx, args),
  daumoi: (ctx, args) => coord.contacts(ctx, args),
  khoa: (ctx, args) => coord.deactivate(ctx, args),
  thuhoi: (ctx, args) => coord.revoke(ctx, args),
  dsvuongmac: (ctx) => difficulty.listOpen(ctx),
  giaiquyet: (ctx, args) => difficulty.resolve(ctx, args),
  molai: (ctx, args) => submit.reopen(ctx, args),
  tamdung: (ctx, args) => pause(ctx, args),
  tieptuc: (ctx, args) => resume(ctx, args),
  xuat: (ctx, args) => exports.exportTables(ctx, args),
  baocaotonghop: (ctx, args) => exports.summaryReport(ctx, args),
  bieudo: (ctx, args) => exports.chart(ctx, args),
  tailieu: (ctx, args) => exports.document(ctx, args),
  ngonngu: (ctx, args) => setLanguage(ctx, args),
  lienket: (ctx) => link(ctx),
  huy: (ctx) => cancel(ctx),
  trogiup: (ctx) => help(ctx),
};

/** /huy acts on the flow in progress and /trogiup is asked for in the middle of one, so neither ends it. */
const KEEPS_FLOW: ReadonlySet<CommandName> = new Set<CommandName>(["huy", "trogiup"]);

/** The registry's list for the role, less /chitieu for those whose agency does not report figures. */
function visibleCommands(ctx: Ctx): Command[] {
  const { person, agency } = ctx.member!;
  return commandsForRole(person.role as Role).filter(
    (c) => c.name !== "chitieu" || !ctx.plan || mayReportFigures(ctx.plan, person, agency),
  );
}

async function help(ctx: Ctx): Promise<void> {
  const { t } = ctx;
  const { person } = ctx.member!;
  const lines = visibleCommands(ctx).map((c) => t.bot.commands[c.name].usage);
  const code = person.role === "contact" ? await firstDutyCode(ctx) : undefined;
  const extra = code ? [t.bot.help.oneLine(t.bot.report.example(code))] : [];
  ctx.reply([t.bot.help.header(t.bot.roleName[person.role as Role]), ...lines, ...extra].join("\n"));
}

/** The contact's own first duty, so examples can be copied and sent as they are. */
async function firstDutyCode(ctx: Ctx): Promise<string | undefined> {
  const agency = ctx.member?.agency;
  if (!agency) return undefined;
  const duty = await ctx.deps.db.duty.findFirst({
    where: { agencyId: agency.parentId ?? agency.id, withdrawn: false },
    orderBy: { sortOrder: "asc" },
  });
  return duty?.code;
}

async function cancel(ctx: Ctx): Promise<void> {
  const flow = await ctx.flow();
  await ctx.endFlow();
  ctx.reply(flow ? ctx.t.bot.cancelled : ctx.t.bot.nothingToCancel);
}

async function setLanguage(ctx: Ctx, args: string): Promise<void> {
  const locale = args.trim().toLowerCase();
  if (locale !== "vi" && locale !== "en") {
    ctx.reply(ctx.t.bot.languageUsage);
    return;
  }
  await ctx.deps.db.person.update({ where: { id: ctx.member!.person.id }, data: { locale } });
  ctx.reply(messagesFor(locale).bot.languageSet);
}

/** A refusal that a form shows beside its field (Slack's figures) carries its code as the reply's outcome. */
function outcomeOf(code: ErrorCode): ReplyOutcome | undefined {
  return code === "indicator.unknown" || code === "indicator.bad_number" || code === "indicator.not_allowed"
    ? code
    : undefined;
}

/**
 * What people typed, made safe to store and to show to others: NFC, no control, bidirectional or
 * invisible characters, and a one-line name (a platform's display name is chosen by its owner).
 * Choice values are the bot's own and pass unchanged.
 */
function cleanEvent(event: IncomingEvent): IncomingEvent {
  const from = { ...event.from, displayName: cleanName(event.from.displayName) || event.from.userId };
  if (event.kind === "command") return { ...event, from, args: cleanInput(event.args) };
  if (event.kind === "text") return { ...event, from, text: cleanInput(event.text) };
  return { ...event, from };
}

export function createBotCore(deps: BotDeps): BotCore {
  async function loadMember(event: IncomingEvent): Promise<Member | null> {
    const identity = await findPersonByIdentity(deps.db, event.from.platform, event.from.userId);
    if (!identity) return null;
    // Chats move (a person opens a DM after first writing in a group), and pushes should follow the
    // account the person uses now; a message from an account also proves it is reachable again.
    const seen = {
      chatId: event.from.chatId,
      displayName: event.from.displayName,
      lastSeenAt: deps.clock.now(),
      unreachableAt: null,
      unreachableReason: null,
    };
    await deps.db.identity.update({ where: { id: identity.id }, data: seen });
    const { person, ...rest } = { ...identity, ...seen };
    return { identity: rest, person, agency: person.agency };
  }

  async function dispatch(ctx: Ctx, event: IncomingEvent): Promise<void> {
    const { t, member } = ctx;
    if (event.kind === "command") {
      const command = findCommand(event.command);
      // Joining has to work before there is a member, a role or even a plan to check.
      if (command?.public) {
        await HANDLERS[command.name](ctx, event.args.trim(), event);
        return;
      }
      if (!member || !member.person.active) {
        ctx.reply(member ? t.bot.deactivated : t.bot.notJoined);
        return;
      }
      if (!command) {
        ctx.reply(t.bot.unknownCommand(commandKey(event.command)));
        return;
      }
      if (!command.roles.includes(member.person.role as Role)) {
        ctx.reply(t.bot.notAllowed(command.name));
        return;
      }
      if (!ctx.plan) {
        ctx.reply(t.errors["plan.none_active"]());
        return;
      }
      // Another command abandons a half-finished flow, so later text is not misread as its answer.
      if (!KEEPS_FLOW.has(command.name)) await ctx.endFlow();
      await HANDLERS[command.name](ctx, event.args.trim(), event);
      return;
    }

    if (!member || !member.person.active) {
      if (event.kind === "text" && looksLikeInviteCode(event.text)) {
        await join(ctx, event.text);
        return;
      }
      ctx.reply(member ? t.bot.deactivated : t.bot.notJoined);
      return;
    }
    if (!ctx.plan) {
      ctx.reply(t.errors["plan.none_active"]());
      return;
    }
    const flow = await ctx.flow();
    const isContact = member.person.role === "contact";

    if (event.kind === "choice") {
      if (isContact && event.value === START_REPORT) {
        await ctx.endFlow();
        await report.startReport(ctx);
        return;
      }
      if (isContact && event.value === START_SUBMIT) {
        await ctx.endFlow();
        await submit.startSubmit(ctx, "");
        return;
      }
      if (flow?.flow === "report" && isContact) return report.continueReport(ctx, flow, { choice: event.value });
      if (flow?.flow === "submit" && isContact) return submit.continueSubmit(ctx, flow, { choice: event.value });
      if (flow?.flow === "remind_all" && !isContact) return coord.continueRemindAll(ctx, flow, event.value);
      ctx.reply(t.bot.staleChoice, undefined, "flow.stale");
      return;
    }

    if (flow?.flow === "report" && isContact) return report.continueReport(ctx, flow, { text: event.text });
    if (flow?.flow === "submit" && isContact) {
      return submit.continueSubmit(ctx, flow, {
        text: event.text,
        ...(event.attachment && { attachment: event.attachment }),
      });
    }
    if (flow?.flow === "remind_all") {
      await ctx.endFlow();
    }
    if (isContact) {
      if (await report.oneLineReport(ctx, event.text)) return;
      ctx.reply(
        t.bot.notUnderstood(t.bot.report.example((await firstDutyCode(ctx)) ?? "IV.1.a")),
        undefined,
        "report.not_a_report",
      );
      return;
    }
    ctx.reply(t.bot.notUnderstoodCoordinator);
  }

  async function handleEvent(raw: IncomingEvent): Promise<Reply[]> {
    const event = cleanEvent(raw);
    const typed = event.kind === "command" ? event.args : event.kind === "text" ? event.text : "";
    if (typed.length > INPUT_MAX_LENGTH) {
      const identity = await findPersonByIdentity(deps.db, event.from.platform, event.from.userId);
      return [{ text: messagesFor(identity?.person.locale ?? deps.defaultLocale).bot.tooLong(INPUT_MAX_LENGTH) }];
    }
    // Duties, reports and invite codes are nobody else's business: in a group the bot only asks
    // to be written to privately, and the group's chat never becomes where pushes are sent.
    if (event.from.privateChat === false) {
      const identity = await findPersonByIdentity(deps.db, event.from.platform, event.from.userId);
      return [{ text: messagesFor(identity?.person.locale ?? deps.defaultLocale).bot.privateOnly }];
    }
    const member = await loadMember(event);
    const plan = await deps.db.plan.findFirst({ where: { active: true } });
    const ctx = new Ctx(deps, event, member, plan);
    try {
      await dispatch(ctx, event);
    } catch (error) {
      if (isDatabaseBusy(error)) throw error;
      ctx.replies.length = 0;
      if (isAppError(error)) {
        ctx.reply(errorText(ctx.t, error, "chat"), undefined, outcomeOf(error.code));
      } else {
        deps.logger.error({ err: error, event: { kind: event.kind, platform: event.from.platform } }, "event failed");
        ctx.reply(ctx.t.bot.internalError);
      }
    }
    return ctx.replies;
  }

  return {
    async handle(event: IncomingEvent): Promise<Reply[]> {
      // Every step sits inside the boundary, loading the sender included: one event never brings
      // the bot down. A busy database is the exception that goes up, so the caller can wait for the
      // lock outside the process's turn and try the whole event again.
      try {
        return await handleEvent(event);
      } catch (error) {
        if (isDatabaseBusy(error)) throw error;
        deps.logger.error({ err: error, event: { kind: event.kind, platform: event.from.platform } }, "event failed");
        return [{ text: messagesFor(deps.defaultLocale).bot.internalError }];
      }
    },
  };
}
