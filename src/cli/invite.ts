import { inviteLinkFor, telegramUsername } from "../app.ts";
import { AppError } from "../model/errors.ts";
import { vi as m } from "../i18n/vi.ts";
import { writeInvitesXlsx } from "../reports/invites-xlsx.ts";
import { createGroupInvites, createInvite, revokeInvite, type CreatedInvite } from "../services/invite-service.ts";
import { choosePlan, findAgency } from "../services/plan-service.ts";
import { defaultPlan } from "../services/directory-service.ts";
import { formatDateTimeVi, toIsoLocal } from "../lib/time.ts";
import { CliError, print, type CliCommand, type CliContext, type Options } from "./command.ts";
import { checkOutputPath, writeFileAtomically } from "./files.ts";

function inviteJson(invite: CreatedInvite, link: (code: string) => string | null) {
  return {
    code: invite.code,
    agency: invite.agency?.code ?? null,
    name: invite.agency?.name ?? null,
    role: invite.role,
    expiresAt: toIsoLocal(invite.expiresAt),
    link: link(invite.code),
  };
}

async function inviteSetting(ctx: CliContext, options: Options) {
  const { db } = await ctx.app();
  // An invite is to the directory agency: the plan only helps read a section number.
  const plan = typeof options.plan === "string" ? await choosePlan(db, options.plan) : await defaultPlan(db);
  if (!plan) throw new AppError("plan.none_active");
  const deps = { db, clock: ctx.clock, inviteTtlDays: ctx.config.inviteTtlDays };
  const link = inviteLinkFor(await telegramUsername(ctx.config, db), ctx.config.zalo?.botLink ?? null);
  return { db, plan, deps, link };
}

/** One invite per member of the group, optionally written as a sheet to send out. */
async function createForGroup(ctx: CliContext, groupCode: string, options: Options): Promise<void> {
  const { db, plan, deps, link } = await inviteSetting(ctx, options);
  const xlsx = typeof options.xlsx === "string" ? checkOutputPath(options.xlsx, "invites") : null;
  const group = await findAgency(db, plan.id, groupCode);
  await createGroupInvites(deps, { group }, async (created) => {
    const invites = created.map((i) => inviteJson(i, link));
    if (xlsx)
      await writeFileAtomically(xlsx, "invites", (tmp) =>
        writeInvitesXlsx(m, tmp, invites, { qrLink: ctx.config.zalo?.botLink ?? null }),
      );
    print(ctx, invites, invites.map((i) => `${i.agency}\t${i.code}\t${i.name}`).join("\n"));
  });
}

async function createOne(ctx: CliContext, options: Options): Promise<void> {
  const { db, plan, deps, link } = await inviteSetting(ctx, options);
  const role = options.role ?? "contact";
  if (role !== "contact" && role !== "coordinator") throw new AppError("invite.bad_role");
  if (role === "coordinator" && options.agency !== undefined) throw new AppError("invite.bad_role");
  if (role === "contact" && typeof options.agency !== "string")
    throw new CliError(m.cli.missingArgument("--agency CODE"));
  const agency = typeof options.agency === "string" ? await findAgency(db, plan.id, options.agency) : null;
  const created = await createInvite(deps, { agency, role });
  const invite = inviteJson(created, link);
  print(
    ctx,
    { code: invite.code, agency: invite.agency, role: invite.role, expiresAt: invite.expiresAt, link: invite.link },
    m.cli.inviteCreated(invite.code, invite.agency, formatDateTimeVi(created.expiresAt)) +
      (invite.link ? `\n${invite.link}` : ""),
  );
}

export const inviteCommands: readonly CliCommand[] = [
  {
    name: "invite create",
    forms: [
      "--agency CODE [--role contact|coordinator] [--plan CODE] [--json]",
      "--role coordinator [--json]",
      "--group CODE [--plan CODE] [--xlsx FILE] [--json]",
    ],
    async run(ctx, _args, options) {
      if (typeof options.group === "string") await createForGroup(ctx, options.group, options);
      else await createOne(ctx, options);
    },
  },
  {
    name: "invite revoke",
    forms: ["CODE"],
    async run(ctx, [code]) {
      if (!code) throw new CliError(m.cli.missingArgument("CODE"));
      const { db } = await ctx.app();
      await revokeInvite({ db, clock: ctx.clock, inviteTtlDays: ctx.config.inviteTtlDays }, code);
      print(ctx, { revoked: true }, m.bot.coord.revoked);
    },
  },
];
