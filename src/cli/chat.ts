import { vi as m } from "../i18n/vi.ts";
import { CliError, type CliCommand } from "./command.ts";

export const chatCommands: readonly CliCommand[] = [
  {
    name: "chat",
    forms: ["--user ID [--name NAME]"],
    async run(ctx, _args, options) {
      const user = typeof options.user === "string" ? options.user.trim() : "";
      if (!user) throw new CliError(m.cli.missingArgument("--user ID"));
      const name = typeof options.name === "string" && options.name.trim() ? options.name.trim() : user;
      await ctx.chat({ platform: "console", userId: user, chatId: user, displayName: name });
    },
  },
];
