import { vi as m } from "../i18n/vi.ts";
import { deactivateContact, listContacts, moveContact } from "../services/contact-service.ts";
import { resolveDirectory } from "../services/plan-service.ts";
import { toIsoLocal } from "../lib/time.ts";
import { CliError, planOption, print, type CliCommand } from "./command.ts";

export const contactCommands: readonly CliCommand[] = [
  {
    name: "contacts list",
    forms: ["[--agency CODE] [--plan CODE] [--json]"],
    async run(ctx, _args, options) {
      const { db } = await ctx.app();
      const agency =
        typeof options.agency === "string" ? await resolveDirectory(db, options.agency, planOption(options)) : null;
      const rows = (await listContacts(db, agency?.id ?? null)).map((p) => ({
        id: p.id,
        name: p.displayName,
        role: p.role,
        agency: p.directoryAgency?.code ?? null,
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
    name: "contacts move",
    forms: ["ID --agency CODE [--json]"],
    async run(ctx, [id], options) {
      if (!id || !/^\d+$/.test(id)) throw new CliError(m.cli.missingArgument("ID"));
      if (typeof options.agency !== "string") throw new CliError(m.cli.missingArgument("--agency CODE"));
      const { db } = await ctx.app();
      const agency = await resolveDirectory(db, options.agency, planOption(options));
      const person = await moveContact(db, Number(id), agency.id);
      print(
        ctx,
        { id: person.id, agency: agency.code },
        m.cli.contactMoved(person.displayName, agency.code, agency.name),
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
