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
      // Not a blank screen: who the terminal speaks as, and how to begin.
      ctx.io.stderr(`${m.cli.chatGreeting(name)}\n`);
      await ctx.chat({ platform: "console", userId: user, chatId: user, displayName: name });
    },
  },
];
