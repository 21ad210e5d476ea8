import type { Role } from "../model/roles.ts";
import { mayReportFigures } from "../services/progress-service.ts";
import { messagesFor } from "../i18n/index.ts";
import { choiceOf } from "../model/choices.ts";
import { dutiesOf } from "../services/plan-service.ts";
import { setLocale } from "../services/contact-service.ts";
import { commandKey, commandNamed, commandsForRole } from "./commands.ts";
import type { Command, CommandName, CommandText } from "../model/commands.ts";
import type { Ctx } from "./context.ts";
import { INVALID_FLOW } from "./conversation.ts";
import * as coord from "./features/coordinator.ts";
import * as difficulty from "./features/difficulty.ts";
import * as exports from "./features/export.ts";
import { join, link, looksLikeInviteCode } from "./features/join.ts";
import { pause, resume } from "./features/pause.ts";
import * as report from "./features/report.ts";
import * as planLine from "./features/plan-line.ts";
import * as overdueView from "./features/overdue-view.ts";
import { combinedView } from "./features/plans-view.ts";
import { viewChoice } from "./features/view-buttons.ts";
import * as submit from "./features/submit.ts";
import { continueFlow, flowServes, flowTakesText } from "./flows.ts";
import type { IncomingAttachment, IncomingEvent } from "../model/bot-core.ts";

// Where an event goes: a command to its handler, a choice or text to the flow waiting for it or
// to what it means on its own. Who may do what is decided here, once, before any handler runs.

type CommandEvent = Extract<IncomingEvent, { kind: "command" }>;
type TextEvent = Extract<IncomingEvent, { kind: "text" }>;
type Handler = (ctx: Ctx, args: string, event: CommandEvent) => Promise<void>;

// Keyed by the registry's names, so a command in the registry without a handler does not compile.
const HANDLERS: Record<CommandName, Handler> = {
  batdau: (ctx, args) => join(ctx, args),
  nhiemvu: async (ctx) => {
    if (!(await planLine.dutiesAcrossPlans(ctx))) await report.showDuties(ctx);
  },
  baocao: (ctx) => report.startReport(ctx),
  nopbaocao: (ctx, args, e) => submit.startSubmit(ctx, args, e.attachment),
  vuongmac: (ctx, args) => difficulty.raise(ctx, args),
  chitieu: (ctx, args) => report.figures(ctx, args),
  kehoach: (ctx, args) => coord.planSummary(ctx, args),
  theodoi: (ctx, args) => coord.follow(ctx, args),
  tongquan: (ctx, args) => coord.overview(ctx, args),
  quahan: (ctx) => overdueView.overdue(ctx),
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

export async function dispatch(ctx: Ctx, event: IncomingEvent): Promise<void> {
  if (event.kind === "command") return routeCommand(ctx, event);
  if (event.kind === "unknown_command") {
    // Joined or not, deactivated or not, is said before what was typed is judged.
    if (mayAct(ctx)) ctx.reply(ctx.t.bot.unknownCommand(commandKey(event.typed)));
    return;
  }
  if (!(await admitted(ctx, event))) return;
  if (event.kind === "choice") return routeChoice(ctx, event.value);
  return routeText(ctx, event);
}

async function routeCommand(ctx: Ctx, event: CommandEvent): Promise<void> {
  const command = commandNamed(event.command);
  // Joining has to work before there is a member, a role or even a plan to check.
  if (command.public) return HANDLERS[command.name](ctx, event.args.trim(), event);
  if (!mayRun(ctx, command.name)) return;
  // Another command abandons a half-finished flow, so later text is not misread as its answer.
  if (!KEEPS_FLOW.has(command.name)) await ctx.endFlow();
  if (await planLine.commandAcrossPlans(ctx, command.name, event.args.trim(), event.attachment)) return;
  const inPlan = await planLine.coordinatorPlan(ctx, command.name, event.args.trim());
  const combined = command.name === "tongquan" || command.name === "quahan" ? command.name : null;
  if (!inPlan && combined && (await combinedView(ctx, combined, event.args.trim()))) return;
  if (inPlan) {
    await HANDLERS[command.name](inPlan.ctx, inPlan.args, event);
    ctx.replies.push(...inPlan.ctx.replies);
    return;
  }
  if (await planLine.coordinatorPlanQuestion(ctx, command.name, event.args.trim())) return;
  await HANDLERS[command.name](ctx, event.args.trim(), event);
  if (command.name !== "nopbaocao") fileNotKept(ctx, event.attachment);
}

/** An active member; anyone else is told they have not joined, or were deactivated. */
function mayAct(ctx: Ctx): boolean {
  const { member } = ctx;
  if (member && member.person.active) return true;
  ctx.reply(member ? ctx.t.bot.deactivated : ctx.t.bot.notJoined);
  return false;
}

/**
 * Whether the sender may run `name` now: an active member whose role the command serves, with a
 * plan in force. Otherwise they are told why. Typed use cases pass the same gate as the command
 * they stand for.
 */
export function mayRun(ctx: Ctx, name: CommandName): boolean {
  const { t } = ctx;
  if (!mayAct(ctx)) return false;
  if (!commandNamed(name).roles.includes(roleOf(ctx))) {
    ctx.reply(t.bot.notAllowed(name));
    return false;
  }
  if (!ctx.plan) {
    ctx.reply(t.errors["plan.none_active"]());
    return false;
  }
  return true;
}

/** What a home screen shows someone who does not report: a coordinator's overview, else the help. */
export async function home(ctx: Ctx): Promise<void> {
  const { member } = ctx;
  // A contact's duties of every plan, grouped as /nhiemvu groups them; a coordinator's overview.
  const active = member?.person.active;
  const name: CommandName = !active ? "trogiup" : roleOf(ctx) === "contact" ? "nhiemvu" : "tongquan";
  await routeCommand(ctx, { kind: "command", from: ctx.from, command: name, args: "" });
}

/** Choices and text need an active member and a plan; before joining, a pasted invite code is the way in. */
async function admitted(
  ctx: Ctx,
  event: Exclude<IncomingEvent, { kind: "command" | "unknown_command" }>,
): Promise<boolean> {
  const { t, member } = ctx;
  if (!member || !member.person.active) {
    if (event.kind === "text" && looksLikeInviteCode(event.text)) await join(ctx, event.text);
    else ctx.reply(member ? t.bot.deactivated : t.bot.notJoined);
    return false;
  }
  if (!ctx.plan) {
    ctx.reply(t.errors["plan.none_active"]());
    return false;
  }
  return true;
}

export async function routeChoice(ctx: Ctx, value: string): Promise<void> {
  // The buttons under a reminder start afresh, whatever was in progress.
  const start = choiceOf(value, "start");
  if (roleOf(ctx) === "contact" && start) {
    await ctx.endFlow();
    // Under a reminder that covers several plans, as the command would: which plan first.
    if (await planLine.commandAcrossPlans(ctx, start.what === "report" ? "baocao" : "nopbaocao", "")) return;
    if (start.what === "report") await report.startReport(ctx);
    else await submit.startSubmit(ctx, "");
    return;
  }
  // A view's buttons (pages, a group's members, a nudge) need no flow: they say what they are about.
  if (await viewChoice(ctx, value)) return;
  const flow = await ctx.flow();
  if (flow === INVALID_FLOW) return endInvalidFlow(ctx);
  if (flow && flowServes(flow, roleOf(ctx)))
    return planLine.inFlowPlan(ctx, flow, (inPlan) => continueFlow(inPlan, flow, { choice: value }));
  ctx.reply(ctx.t.bot.staleChoice, undefined, "flow.stale");
}

async function routeText(ctx: Ctx, event: TextEvent): Promise<void> {
  const flow = await ctx.flow();
  if (flow === INVALID_FLOW) {
    await endInvalidFlow(ctx);
    return fileNotKept(ctx, event.attachment);
  }
  if (flow && !flowTakesText(flow)) await ctx.endFlow();
  else if (flow && flowServes(flow, roleOf(ctx))) {
    const input = { text: event.text, ...(event.attachment && { attachment: event.attachment }) };
    await planLine.inFlowPlan(ctx, flow, (inPlan) => continueFlow(inPlan, flow, input));
    // Only a submission takes a file.
    if (flow.flow !== "submit") fileNotKept(ctx, event.attachment);
    return;
  }
  // A file sent on its own is answered about the file alone, not as a message not understood.
  if (event.text.trim() || !event.attachment) await readText(ctx, event.text);
  fileNotKept(ctx, event.attachment);
}

/** Text outside any flow: a one-line report, or an example of one. */
async function readText(ctx: Ctx, text: string): Promise<void> {
  const { t } = ctx;
  if (roleOf(ctx) !== "contact") {
    ctx.reply(t.bot.notUnderstoodCoordinator);
    return;
  }
  if (await planLine.lineAcrossPlans(ctx, text)) return;
  if (await report.oneLineReport(ctx, text)) return;
  const example = t.bot.report.example((await firstDutyCode(ctx)) ?? "IV.1.a");
  ctx.reply(t.bot.notUnderstood(example), undefined, "report.not_a_report");
}

/**
 * A file that came with anything but a submission is not kept, and the person is told so (with the
 * way to attach it to a report), rather than left to think it arrived.
 */
function fileNotKept(ctx: Ctx, attachment: IncomingAttachment | undefined): void {
  if (!attachment) return;
  const s = ctx.t.bot.submit;
  ctx.reply(
    roleOf(ctx) === "contact" ? s.fileOutsideSubmission(attachment.name) : s.fileNotForCoordinators(attachment.name),
  );
}

/** A stored step this version cannot read: acting on it could record the wrong thing, so it ends here. */
async function endInvalidFlow(ctx: Ctx): Promise<void> {
  await ctx.endFlow();
  ctx.reply(ctx.t.bot.flowInvalid, undefined, "flow.stale");
}

function roleOf(ctx: Ctx): Role {
  return ctx.member!.person.role as Role;
}

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
  const lines = visibleCommands(ctx).map((c) => {
    const text: CommandText = t.bot.commands[c.name];
    return (person.role === "contact" && text.contactUsage) || text.usage;
  });
  const code = person.role === "contact" ? await firstDutyCode(ctx) : undefined;
  const extra = code ? [t.bot.help.oneLine(t.bot.report.example(code))] : [];
  ctx.reply([t.bot.help.header(t.bot.roleName[person.role as Role]), ...lines, ...extra].join("\n"));
}

/** The contact's own first duty, so examples can be copied and sent as they are. */
async function firstDutyCode(ctx: Ctx): Promise<string | undefined> {
  const agency = ctx.member?.agency;
  if (!agency) return undefined;
  return (await dutiesOf(ctx.deps.db, agency))[0]?.code;
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
  await setLocale(ctx.deps.db, ctx.member!.person.id, locale);
  ctx.reply(messagesFor(locale).bot.languageSet);
}
