import { vi as m } from "../i18n/vi.ts";
import { deactivateContact, listContacts } from "../services/contact-service.ts";
import { findAgency, getActivePlan } from "../services/plan-service.ts";
import { toIsoLocal } from "../lib/time.ts";
import { CliError, print, type CliCommand } from "./command.ts";

export const contactCommands: readonly CliCommand[] = [
  {
    name: "contacts list",
    forms: ["[--agency CODE] [--json]"],
    async run(ctx, _args, options) {
      const { db } = await ctx.app();
      const plan = await getActivePlan(db);
      const agency = typeof options.agency === "string" ? await findAgency(db, plan.id, options.agency) : null;
      const rows = (await listContacts(db, plan.id, agency)).map((p) => ({
        id: p.id,
        name: p.displayName,
        role: p.role,
        agency: p.agency?.code ?? null,
        active: p.active,
        createdAt: toIsoLocal(p.createdAt),
        deactivatedAt: p.deactivatedAt ? toIsoLocal(p.deactivatedAt) : null,
        identities: p.identities.map((i) => ({
          platform: i.platform,
          userId: i.userId,
          unreachable: i.unreachableAt !== null,
        })),
      }));
      print(
        ctx,
        rows,
        rows
          .map((r) => `#${r.id}\t${r.role}\t${r.agency ?? "-"}\t${r.name}${r.active ? "" : ` (${m.cli.inactive})`}`)
          .join("\n") || m.cli.noContacts,
      );
    },
  },
  {
    name: "contacts deactivate",
    forms: ["ID"],
    async run(ctx, [id]) {
      if (!id || !/^\d+$/.test(id)) throw new CliError(m.cli.missingArgument("ID"));
      const { db } = await ctx.app();
      const person = await deactivateContact({ db, clock: ctx.clock }, Number(id));
      print(ctx, { id: person.id, active: person.active }, m.bot.coord.deactivated(person.displayName));
    },
  },
];
