// Every dependency with an install script is reviewed in package.json's allowScripts: npm 11.19
// warns about each one that is not, and its own documentation says unreviewed scripts are blocked
// by default, in which case a fresh install of the README's first command could not start.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "./helpers/processes.ts";

const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
  packages: Record<string, { version?: string; hasInstallScript?: boolean }>;
};
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  allowScripts?: Record<string, unknown>;
};

/** Names (with their scope) of the installed packages whose lockfile entry says they have an install script. */
const withScripts = [
  ...new Set(
    Object.entries(lock.packages)
      .filter(([path, entry]) => path !== "" && entry.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length)),
  ),
].sort();

/** An allowScripts key as npm writes it: "name", or "name@version" when it can pin. */
const nameOf = (key: string) => key.replace(/(?<=.)@[^@]*$/, "");

describe("install scripts", () => {
  it("are in the lockfile (the list below is not empty by accident)", () => {
    expect(withScripts).toContain("better-sqlite3");
  });

  it("are each approved or denied in allowScripts", () => {
    const reviewed = new Set(Object.keys(manifest.allowScripts ?? {}).map(nameOf));
    expect(withScripts.filter((name) => !reviewed.has(name))).toEqual([]);
  });

  it("are listed exactly: no entry for a package without one, and every value a decision", () => {
    const entries = Object.entries(manifest.allowScripts ?? {});
    expect(entries.map(([key]) => nameOf(key)).filter((name) => !withScripts.includes(name))).toEqual([]);
    for (const [, value] of entries) expect(typeof value).toBe("boolean");
  });

  it("run only where the project needs them: better-sqlite3's native module", () => {
    const approved = Object.entries(manifest.allowScripts ?? {})
      .filter(([, value]) => value === true)
      .map(([key]) => nameOf(key));
    expect(approved).toEqual(["better-sqlite3"]);
  });
});
