import { foldVietnamese } from "../domain/text.ts";
import { isAppError, type AppError } from "../errors.ts";
import { describeError } from "../i18n/describe-error.ts";
import { messagesFor, type Messages } from "../i18n/index.ts";
import { findPersonByIdentity, type Role } from "../services/invite-service.ts";
import { mayReportFigures } from "../services/progress-service.ts";
import { Ctx, type BotDeps, type Member } from "./context.ts";
import * as coord from "./features/coordinator.ts";
import * as difficulty from "./features/difficulty.ts";
import { join, link, looksLikeInviteCode } from "./features/join.ts";
import { pause, resume } from "./features/pause.ts";
import * as report from "./features/report.ts";
import * as submit from "./features/submit.ts";
import type { BotCore, IncomingEvent, OutgoingMessage } from "./types.ts";
import { START_REPORT, START_SUBMIT } from "../i18n/views.ts";

export type { BotDeps };

interface CommandSpec {
  /** Vietnamese name first (what /trogiup shows), then aliases. */
  names: string[];
  roles: readonly Role[];
  run(ctx: Ctx, args: string, event: IncomingEvent): Promise<void>;
}

const CONTACT: readonly Role[] = ["contact"];
const COORDINATOR: readonly Role[] = ["coordinator", "admin"];
const EVERYONE: readonly Role[] = ["contact", "coordinator", "admin"];

const COMMANDS: CommandSpec[] = [
  { names: ["nhiemvu", "duties"], roles: CONTACT, run: (ctx) => report.showDuties(ctx) },
  { names: ["baocao", "report"], roles: CONTACT, run: (ctx) => report.startReport(ctx) },
  {
    names: ["nopbaocao", "submit"],
    roles: CONTACT,
    run: (ctx, args, e) => submit.startSubmit(ctx, args, e.kind === "command" ? e.attachment : undefined),
  },
  { names: ["vuongmac", "issue"], roles: CONTACT, run: (ctx, args) => difficulty.raise(ctx, args) },
  { names: ["chitieu", "figures"], roles: EVERYONE, run: (ctx, args) => report.figures(ctx, args) },
  { names: ["kehoach", "plan"], roles: EVERYONE, run: (ctx) => coord.planSummary(ctx) },
  { names: ["tongquan", "status"], roles: COORDINATOR, run: (ctx, args) => coord.overview(ctx, args) },
  { names: ["quahan", "overdue"], roles: COORDINATOR, run: (ctx) => coord.overdue(ctx) },
  { names: ["nhac", "remind"], roles: COORDINATOR, run: (ctx, args) => coord.remind(ctx, args) },
  { names: ["moi", "invite"], roles: COORDINATOR, run: (ctx, args) => coord.invite(ctx, args) },
  { names: ["daumoi", "contacts"], roles: COORDINATOR, run: (ctx, args) => coord.contacts(ctx, args) },
  { names: ["khoa", "deactivate"], roles: COORDINATOR, run: (ctx, args) => coord.deactivate(ctx, args) },
  { names: ["thuhoi", "revoke"], roles: COORDINATOR, run: (ctx, args) => coord.revoke(ctx, args) },
  { names: ["dsvuongmac", "issues"], roles: COORDINATOR, run: (ctx) => difficulty.listOpen(ctx) },
  { names: ["giaiquyet", "resolve"], roles: COORDINATOR, run: (ctx, args) => difficulty.resolve(ctx, args) },
  { names: ["molai", "reopen"], roles: COORDINATOR, run: (ctx, args) => submit.reopen(ctx, args) },
  { names: ["tamdung", "pause"], roles: COORDINATOR, run: (ctx, args) => pause(ctx, args) },
  { names: ["tieptuc", "resume"], roles: COORDINATOR, run: (ctx, args) => resume(ctx, args) },
  { names: ["ngonngu", "language", "lang"], roles: EVERYONE, run: (ctx, args) => setLanguage(ctx, args) },
  { names: ["lienket", "link"], roles: EVERYONE, run: (ctx) => link(ctx) },
  { names: ["huy", "cancel"], roles: EVERYONE, run: (ctx) => cancel(ctx) },
  { names: ["trogiup", "help"], roles: EVERYONE, run: (ctx) => help(ctx) },
];

function findCommand(commands: readonly CommandSpec[], name: string): CommandSpec | undefined {
  const folded = foldVietnamese(name).replace(/\s+/g, "");
  return commands.find((c) => c.names.includes(folded));
}

function visibleCommands(ctx: Ctx, commands: readonly CommandSpec[]): CommandSpec[] {
  const { person, agency } = ctx.member!;
  return commands.filter((c) => {
    if (!c.roles.includes(person.role as Role)) return false;
    if (c.names[0] === "chitieu" && ctx.plan) return mayReportFigures(ctx.plan, person, agency);
    return true;
  });
}

async function help(ctx: Ctx, commands: readonly CommandSpec[] = COMMANDS): Promise<void> {
  const { t } = ctx;
  const { person } = ctx.member!;
  const lines = visibleCommands(ctx, commands).map((c) => t.bot.help.commands[c.names[0]!] ?? `/${c.names[0]}`);
  const code = person.role === "contact" ? await firstDutyCode(ctx) : undefined;
  const extra = code ? [t.bot.help.oneLine(t.bot.report.example(code))] : [];
  ctx.reply([t.bot.help.header(t.bot.roleName[person.role] ?? person.role), ...lines, ...extra].join("\n"));
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

/** Chat wording for a coded error: joining problems speak to someone joining, the rest are shared. */
function errorText(t: Messages, error: AppError): string {
  if (error.code === "invite.bad_role") return t.bot.coord.coordinatorInviteAdminOnly;
  return t.bot.joinErrors[error.code] ?? describeError(t, error) ?? t.bot.internalError;
}

export function createBotCore(deps: BotDeps): BotCore {
  const commands: CommandSpec[] = COMMANDS.map((c) =>
    c.names[0] === "trogiup" ? { ...c, run: (ctx) => help(ctx, commands) } : c,
  );

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
      const name = foldVietnamese(event.command).replace(/^\//, "").replace(/@.*$/, "");
      if (name === "start" || name === "join" || name === "batdau" || name === "thamgia") {
        await join(ctx, event.args);
        return;
      }
      if (!member || !member.person.active) {
        ctx.reply(member ? t.bot.deactivated : t.bot.notJoined);
        return;
      }
      const spec = findCommand(commands, name);
      if (!spec) {
        ctx.reply(t.bot.unknownCommand(name));
        return;
      }
      if (!spec.roles.includes(member.person.role as Role)) {
        ctx.reply(t.bot.notAllowed(spec.names[0]!));
        return;
      }
      if (!ctx.plan) {
        ctx.reply(t.bot.errors["plan.none_active"]);
        return;
      }
      // Another command abandons a half-finished flow, so later text is not misread as its answer.
      if (spec.names[0] !== "huy" && spec.names[0] !== "trogiup") await ctx.endFlow();
      await spec.run(ctx, event.args.trim(), event);
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
      ctx.reply(t.bot.errors["plan.none_active"]);
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
      ctx.reply(t.bot.staleChoice);
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
      ctx.reply(t.bot.notUnderstood(t.bot.report.example((await firstDutyCode(ctx)) ?? "IV.1.a")));
      return;
    }
    ctx.reply(t.bot.notUnderstoodCoordinator);
  }

  return {
    async handle(event: IncomingEvent): Promise<OutgoingMessage[]> {
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
        if (isAppError(error)) {
          ctx.replies.length = 0;
          ctx.reply(errorText(ctx.t, error));
        } else {
          deps.logger.error({ err: error, event: { kind: event.kind, platform: event.from.platform } }, "event failed");
          ctx.replies.length = 0;
          ctx.reply(ctx.t.bot.internalError);
        }
      }
      return ctx.replies;
    },
  };
}
