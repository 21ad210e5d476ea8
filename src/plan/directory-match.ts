import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Db, Tx } from "../db/db.ts";
import { readCsv } from "../domain/csv.ts";
import { foldName, foldVietnamese } from "../domain/text.ts";
import { projectRoot } from "../lib/paths.ts";
import type { DirectoryAgency } from "../generated/prisma/client.ts";

/** A mnemonic the province already uses for an agency, with the other names it goes by. */
export interface KnownCode {
  code: string;
  name: string;
  aliases: string[];
}

const KNOWN_CODES_FILE = join(projectRoot, "prisma", "seed", "agency-codes.csv");
/** Longest proposed mnemonic: people type it on a phone. */
const PROPOSED_CODE_MAX = 8;
/** Words that carry no meaning in an agency's initials. */
const SKIPPED_WORDS = new Set(["va", "cac", "cua", "the", "tinh"]);

/** The committed table of mnemonics (SNV, BHXH, UBNDXA…), read once per import. */
export function readKnownCodes(path = KNOWN_CODES_FILE): KnownCode[] {
  return readCsv(readFileSync(path, "utf8"), ["ma", "ten"]).map(({ values }) => ({
    code: values.ma!.toUpperCase(),
    name: values.ten!,
    aliases: (values.bidanh ?? "")
      .split("|")
      .map((a) => a.trim())
      .filter(Boolean),
  }));
}

/** How a plan's agency name was matched against the directory. */
export type AgencyMatch =
  | { kind: "matched"; name: string; directory: DirectoryAgency }
  | { kind: "new"; name: string; code: string; aliases: string[] };

/**
 * Matches each name against the directory's names and aliases (forgiving case, diacritics, spacing
 * and punctuation); a name the directory lacks gets the committed mnemonic or one made of its
 * initials, unique among the directory's codes and the other new ones.
 */
export async function matchAgencies(
  db: Db | Tx,
  names: readonly string[],
  known: readonly KnownCode[],
): Promise<AgencyMatch[]> {
  const [all, aliases] = await Promise.all([db.directoryAgency.findMany(), db.agencyAlias.findMany()]);
  const byFolded = new Map<string, DirectoryAgency>();
  const byId = new Map(all.map((d) => [d.id, d]));
  for (const d of all) byFolded.set(foldName(d.name), d);
  for (const a of aliases) if (byId.has(a.directoryAgencyId)) byFolded.set(a.folded, byId.get(a.directoryAgencyId)!);
  const taken = new Set(all.map((d) => d.code));
  return names.map((name) => {
    const found = byFolded.get(foldName(name));
    if (found) return { kind: "matched", name, directory: found };
    const entry = known.find((k) => [k.name, ...k.aliases].some((n) => foldName(n) === foldName(name)));
    const code = uniqueCode(entry && !taken.has(entry.code) ? entry.code : initials(name), taken);
    taken.add(code);
    return { kind: "new", name, code, aliases: entry ? [entry.name, ...entry.aliases].filter((n) => n !== name) : [] };
  });
}

/** "Sở Giáo dục và Đào tạo" → SGDDT: the initials of its words, without the empty ones. */
export function initials(name: string): string {
  const words = foldVietnamese(name)
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter((w) => w && !SKIPPED_WORDS.has(w));
  const code = words
    .map((w) => w[0]!)
    .join("")
    .toUpperCase()
    .slice(0, PROPOSED_CODE_MAX);
  // A code must start with a letter: never a section number, never a commune's official code.
  return /^[A-Z]/.test(code) ? code : `CQ${code}`;
}

export function uniqueCode(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}

/** Topics whose usual abbreviation names a plan better than its title's initials. */
const PLAN_TOPICS: readonly [string, string][] = [
  ["bao hiem xa hoi", "BHXH"],
  ["bao hiem y te", "BHYT"],
  ["bao hiem that nghiep", "BHTN"],
  ["cai cach hanh chinh", "CCHC"],
  ["chuyen doi so", "CDS"],
  ["phong chong tham nhung", "PCTN"],
  ["giam ngheo", "GN"],
  ["nong thon moi", "NTM"],
];
const PLAN_STOP_WORDS = new Set(["ke", "hoach", "thuc", "hien", "nam", "tren", "dia", "ban", "tinh", "va", "cac"]);

/**
 * A plan's code from its title and year: the topic's abbreviation where the title names a known
 * topic (BHXH26), else the initials of its first meaningful words; then the year's last two digits.
 */
export function derivePlanCode(title: string, year: number, taken: ReadonlySet<string>): string {
  const folded = foldVietnamese(title);
  const topic = PLAN_TOPICS.map(([words, code]) => ({ at: folded.indexOf(words), code }))
    .filter((t) => t.at >= 0)
    .sort((a, b) => a.at - b.at)[0]?.code;
  const words = folded
    .replace(/[^a-z]+/g, " ")
    .trim()
    .split(" ")
    .filter((w) => w && !PLAN_STOP_WORDS.has(w));
  const stem =
    topic ??
    (words
      .slice(0, 4)
      .map((w) => w[0]!)
      .join("")
      .toUpperCase() ||
      "KH");
  const base = `${stem}${String(year % 100).padStart(2, "0")}`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
