import { describe, expect, it } from "vitest";
import { usage } from "../../src/cli/index.ts";
import { en } from "../../src/i18n/en.ts";
import { vi } from "../../src/i18n/vi.ts";

// The usage is written from the commands' declarations (src/cli/*.ts), once per language: the forms
// are shared, only the header and the summaries are translated.
describe("the CLI's usage", () => {
  it("lists every command's forms in the same order in both languages", () => {
    const forms = (text: string) =>
      text
        .split("\n")
        .slice(1)
        .map((line) => line.slice(0, 38).trimEnd());
    expect(forms(usage(en))).toEqual(forms(usage(vi)));
    for (const name of ["plan parse", "invite create", "contacts deactivate", "reminders policy", "db backup"]) {
      expect(usage(vi)).toContain(`  ${name} `);
    }
  });

  it("puts each summary beside its command's first form", () => {
    expect(usage(vi).split("\n")[1]).toBe(
      "  plan parse FILE [--json]             đọc một văn bản kế hoạch, không ghi gì",
    );
    expect(usage(en).split("\n")[0]).toBe("Usage: npm run --silent cli -- <command> [options]");
  });
});
