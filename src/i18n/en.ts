import type { CommandName, CommandText } from "../model/commands.ts";
import { quoteInput } from "../domain/clean-text.ts";
import { formatInteger, formatPercent } from "../lib/format.ts";
import { formatDateTimeVi, formatDateVi, type LocalDate } from "../lib/time.ts";
import type { ErrorAgency } from "../model/errors.ts";
import type { DutyState } from "../domain/status.ts";
import type { PlanErrorCode, PlanWarningReason } from "../plan/parse-plan.ts";
import type { Role } from "../model/roles.ts";
import type { AttachmentProblem } from "../model/bot-core.ts";
import { SHEET_NAMES, STATUS_ICON, type ErrorTexts, type ReportErrorTexts } from "./shared.ts";
import type { MemberKind } from "../domain/short-name.ts";
import type { Messages } from "./vi.ts";

// The English catalogue: mirrors vi.ts key for key. Agency names, duty codes and plan titles are data
// and stay untranslated; command names stay Vietnamese-first, with the English alias shown in help.

// What someone typed, quoted back: one line and a short prefix, never 100 KB.
const q = (typed: string) => quoteInput(typed);
const num = (n: number) => formatInteger(n, ",");
const pct = (n: number) => formatPercent(n, ".", ",");
const date = (d: LocalDate) => formatDateVi(d);
const memberName = (name: string) => `People's Committee of ${name}`;
// Members are communes, named by their committee, as agencyLabel in views.ts does for a row.
const agencyName = (a: ErrorAgency) => (a.parentId === null ? a.name : memberName(a.name));
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
/** A file's size in megabytes, to one decimal: "25 MB", "20.5 MB". */
const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

export const en: Messages = {
  locale: "en",
  num,
  pct,
  date,

  telegram: {
    /** Answer to a press on a button whose meaning is no longer known (pruned after a month). */
    buttonExpired: "This button has expired. Type /help to see the commands.",
  },

  sheet: {
    invites: "Invites",
    agency: "Agency code",
    name: "Unit name",
    code: "Invite code",
    expiresAt: "Expires",
    link: "Link",
  },

  reports: {
    cliBadFormat: (formats: string) => `--format must be one of: ${formats}.`,
    cliBadSince: (value: string) => `"${value}" is not a date. Write dd/mm/yyyy or YYYY-MM-DD.`,
    cliDone: (file: string, bytes: number) => `Wrote ${file} (${bytes} bytes).`,
    cliBadReportOption: (option: string, value: string) =>
      `${option} "${q(value)}" is not valid: one line of at most 120 characters; the symbol (--symbol) letters, digits, &, . or - without spaces, e.g. SNV. Nothing was exported.`,
    sheets: SHEET_NAMES,
    planCols: [
      "Plan code",
      "Plan title",
      "Report deadline (before)",
      "Submitted",
      "Agencies",
      "Duties done",
      "Duties",
      "Open difficulties",
    ],
    plan: "Plan",
    deadline: "Report deadline",
    generatedAt: "Generated at (Vietnam time)",
    filterAgency: "Agency",
    filterSince: "Since",
    indicators: "Indicators",
    indicatorCols: [
      "Code",
      "Indicator",
      "Target rate",
      "Target participants",
      "Eligible population",
      "Latest participants",
      "Latest rate",
      "Gap to target",
      "Reported by",
      "Reported at",
    ],
    submittedCount: "Agencies submitted",
    notSubmittedCount: "Agencies not submitted",
    byStatus: "Duties by status",
    count: "Count",
    dutyCols: [
      "No.",
      "Agency code",
      "Agency",
      "Duty code",
      "Duty",
      "Status",
      "Percent",
      "Latest note",
      "Last update",
      "Reporter",
    ],
    submissionCols: [
      "No.",
      "Agency code",
      "Agency",
      "Submitted",
      "Document number",
      "Document date",
      "Submitted at",
      "On time",
      "By",
    ],
    difficultyCols: ["No.", "Agency code", "Agency", "Duty", "Text", "Raised by", "Raised at", "Status", "Resolution"],
    historyCols: ["No.", "At", "Agency code", "Agency", "Duty code", "Status", "Percent", "Note", "Reporter"],
    yes: "Yes",
    no: "No",
    onTime: "On time",
    late: "Late",
    membersSubmitted: (n: number, total: number) => `${n}/${total} members submitted`,
    open: "Open",
    resolved: "Resolved",
    fileSent: (name: string) => `File ${name} is ready.`,
    exportUsage: "Usage: /export [xlsx|csv]",
    /** The draft report (Decree 30/2020 form): every sentence is fixed, a figure, or what someone reported. */
    doc: {
      nation: "SOCIALIST REPUBLIC OF VIET NAM",
      motto: "Independence - Freedom - Happiness",
      number: (symbol: string) => `No.:        /BC-${symbol}`,
      placeDate: (place: string, year: number) => `${place}, ……/……/${year}`,
      kind: "REPORT",
      subject: (title: string) => `Results: ${title}`,
      to: (addressee: string) => `To: ${addressee}.`,
      committee: (kind: string, province: string) =>
        `People's Committee of ${province} ${kind === "thành phố" ? "city" : "province"}`,
      committeeShort: (kind: string, province: string) =>
        `People's Committee of ${province} ${kind === "thành phố" ? "city" : "province"}`,
      defaultIssuer: "Department of Home Affairs",
      defaultSymbol: "SNV",
      defaultSigner: "FOR THE DIRECTOR/DEPUTY DIRECTOR",
      results: "I. RESULTS AGAINST THE TARGETS",
      resultCols: ["No.", "Target", "Target value", "Achieved (latest figure)", "Assessment", "Short by (people)"],
      people: (n: number) => `${num(n)} people`,
      figureDate: (at: Date) => `(on ${formatDateTimeVi(at).slice(0, 10)})`,
      met: "Met",
      notMet: "Not met",
      noFigure: "No figure yet",
      duties: "II. DUTIES",
      submissionsHeading: "1. Reports received",
      deadline: (d: LocalDate) => `Under the plan, agencies send their reports before ${date(d)}.`,
      submittedCount: (at: Date, counts: readonly string[]) =>
        `As of ${formatDateTimeVi(at)}, ${counts.join(" and ")} have sent their reports.`,
      unitsCount: (done: number, total: number) => `${done}/${total} agencies`,
      membersCount: (done: number, total: number, noun: string) => `${done}/${total} ${noun}`,
      notSubmitted: (names: readonly string[]) => `Not yet reported: ${names.join("; ")}.`,
      membersMissing: (n: number, noun: string, appendix: string) => `${n} ${noun} (listed in the ${appendix})`,
      allSubmitted: "Every agency has sent its report.",
      agenciesHeading: "2. Duties by agency",
      submittedAs: (number: string | null, d: LocalDate | null) =>
        `sent ${number ? `report No. ${number}` : "its report"}${d ? ` dated ${date(d)}` : ""}`,
      notSubmittedYet: "report not yet sent",
      membersSummary: (total: number, noun: string, done: number, appendix: string) =>
        `${total} ${noun}: ${done} submitted, ${total - done} not submitted; listed in the ${appendix}`,
      dutyCols: ["Code", "Duty", "Result"],
      notReported: "Not reported",
      withPercent: (label: string, percent: number) => `${label}, ${pct(percent)}`,
      memberStatus: (label: string, n: number) => `${label}: ${n}`,
      memberKind: {
        commune: "communes",
        ward: "wards",
        township: "townships",
        special_zone: "special zones",
      } satisfies Record<MemberKind, string>,
      members: "members",
      difficulties: "III. DIFFICULTIES",
      dutyReference: (section: string, item: string, letter: string | null) =>
        `${letter ? `point ${letter}, ` : ""}item ${item}, section ${section} of the plan`,
      difficulty: (agency: string, reference: string | null, raisedAt: Date, text: string) =>
        `${agency}${reference ? ` (duty in ${reference})` : ""}, ${formatDateTimeVi(raisedAt).slice(0, 10)}: ${text}`,
      resolved: (at: Date, resolution: string | null) =>
        `Resolved on ${formatDateTimeVi(at).slice(0, 10)}${resolution ? `: ${resolution}` : "."}`,
      none: "None.",
      proposals: "IV. PROPOSALS",
      closing: (subject: string, issuer: string, addressee: string) =>
        `This concludes the report (${subject}). The ${issuer} respectfully submits it to the ${addressee} for consideration./.`,
      recipients: "Recipients:",
      asAbove: "- As above;",
      recipient: (name: string) => `- ${name};`,
      archive: "- Archived: VT.",
      appendix: (numeral: string | null) => (numeral ? `Appendix ${numeral}` : "Appendix"),
      appendixTitle: (noun: string) => `REPORTS AND DUTIES OF THE ${noun.toUpperCase()}`,
      appendixOf: (symbol: string, year: number, issuer: string) =>
        `(Attached to report No.        /BC-${symbol} of ……/……/${year} by the ${issuer})`,
      appendixCols: ["No.", "Unit", "Report"],
      submittedShort: (number: string | null, d: LocalDate | null) =>
        `${number ? `No. ${number}` : "Sent"}${d ? `\ndated ${date(d)}` : ""}`,
      notSubmittedShort: "Not sent",
    },
    chartTitle: (title: string) => `Progress: ${title}`,
    chartAsOf: (at: Date) => `Figures as of ${formatDateTimeVi(at)}`,
    chartIndicators: "Participation rate against the target",
    chartLatest: "Achieved",
    chartTarget: "Target",
    chartNoFigure: "no figure yet",
    chartFigure: (latest: number | null, target: number) =>
      latest === null ? `no figure yet / ${num(target)} people` : `${num(latest)} / ${num(target)} people`,
    chartDuties: "Duties by status, per agency (% of duties)",
    chartMembers: (group: string, noun: string) => `${group}: ${noun} that sent their report`,
    chartSubmitted: "Sent",
    chartNotSubmitted: "Not sent",
    documentUsage: "Usage: /document AGENCY, for example /document IV.4",
    noDocument: (agency: string) => `${agency} has no submitted report with a file.`,
    documentLink: (agency: string) => `The file attached to ${agency}'s report:`,
  },

  delivery: {
    fileUnavailable: (name: string) =>
      `📎 The file "${name}" cannot be sent on this platform. Please ask Sở Nội vụ for it, or open it on Telegram or Slack if you have linked them (/link).`,
    platforms: { telegram: "Telegram", slack: "Slack", zalo: "Zalo", console: "the command line" },
    kind: {
      beforeDeadline: (days: number) => `reminder (${plural(days, "day", "days")} left)`,
      overdue: (n: number) => `overdue reminder (no. ${n})`,
      reminder: "reminder",
      nudge: "coordinator's reminder",
      notification: "notification",
      digest: "digest",
      other: "message",
    },
    reasons: {
      blocked: "has blocked the bot",
      not_started: "has never written to the bot",
      not_allowed: "has never written to the bot, or has blocked it",
      account_gone: "the account is no longer active",
      chat_gone: "the conversation with the bot is gone",
      network: "network error",
      platform_error: "the platform reported an error",
      rate_limited: "the platform asked to slow down",
      unknown: "reason unknown",
    },
    advice: {
      blocked:
        "Please phone them with the content and ask them to unblock the bot and write it any message: from then on the bot can reach them.",
      not_started:
        "Please phone them with the content and ask them to open the bot and write it any message (such as /help): from then on the bot can reach them.",
      not_allowed:
        "Please phone them with the content and ask them to open the bot (unblocking it if they blocked it) and write it any message: from then on the bot can reach them.",
      account_gone:
        "Please phone them with the content. This account can no longer be used: send them a new invite (/invite AGENCY) to join with another account.",
      chat_gone:
        "Please phone them with the content and ask them to open the conversation with the bot again and write it any message.",
      network: "Please phone them with the content, or send it again later.",
      platform_error: "Please phone them with the content, or send it again later.",
      rate_limited: "Please phone them with the content, or send it again later.",
      unknown: "Please phone them with the content, or send it again later.",
    },
    unreachable: (reason: string) => `unreachable, ${reason}`,
    failedFinal: (reason: string, attempts: number) =>
      `delivery failed (${reason}) after ${plural(attempts, "attempt", "attempts")}; it will not be tried again`,
    failureNotice: (
      what: string,
      recipient: string,
      queuedAt: string,
      outcome: string,
      excerpt: string,
      advice: string,
    ) =>
      `⚠️ Could not deliver the ${what} to ${recipient} (queued at ${queuedAt}): ${outcome}.\nContent: "${excerpt}"\n${advice}`,
    outlook: {
      resolved: (id: number) => `Closed issue #${id}.`,
      reopened: (agency: string) => `Reopened the report of ${agency}.`,
      reply: "the reply",
      comment: "the comment",
      sent: (what: string, people: number) => `Sent ${what} to ${plural(people, "person", "people")}.`,
      queued: (what: string, people: number, at: string) =>
        `As it is outside messaging hours, ${what} will go to ${plural(people, "person", "people")} at ${at}.`,
      nobody: (what: string, agency: string) => `${agency} has no contacts on the bot yet, so ${what} went to nobody.`,
      unreachableHeader: (n: number) => `Could not reach ${plural(n, "person", "people")}:`,
      unreachableLine: (person: string, platforms: string, reason: string, advice: string) =>
        `• ${person} (${platforms}): ${reason}. ${advice}`,
      heldHeader: (n: number) => `Waiting (${plural(n, "person", "people")}):`,
      heldLine: (person: string, platforms: string) =>
        `• ${person}: ${platforms} is not running anywhere; the message goes out once ${platforms} runs again. Please tell the administrator.`,
    },
  },

  slack: {
    title: "Nhắc Việc",
    close: "Close",
    processing: "Recording… The result will show here and in your messages with Nhắc Việc.",
    working: "Preparing the file… Please wait a moment.",
    unavailable:
      "Slack is busy, so this request was not handled and nothing was recorded. Please try again in a few minutes.",
    reportModal: {
      title: "Progress report",
      submit: "Send report",
      cancel: "Cancel",
      intro: (agency: string) => `Report the progress of one of ${agency}'s duties.`,
      duty: "Duty",
      dutyPlaceholder: "Choose a duty",
      dutyGroup: (from: number, to: number) => `Duties ${from}–${to}`,
      status: "Status",
      statusPlaceholder: "Choose a status",
      percent: "Completion (%)",
      percentHint: "A whole number, e.g. 60. Leave empty to give no percentage.",
      note: "Note",
      noteHint: "Results, figures… For Blocked: a short description of the difficulty (sent to Sở Nội vụ at once).",
      figuresHeader: "Indicator figures: number of participants, leave empty to keep the last one.",
      figure: (code: string, name: string) => `${code} ${name}`,
      notice: "The report was not recorded:",
    },
    submitModal: {
      title: "Submit the report",
      next: "Review",
      cancel: "Cancel",
      number: "Document number",
      numberPlaceholder: "e.g. 123/BC-SNV",
      date: "Document date",
      file: "Report document (photo or PDF, up to 20 MB)",
      confirmTitle: "Confirm submission",
    },
    home: {
      report: "Report",
      submit: "Submit report",
      more: (n: number) => `… and ${n} more duties: type /nhacviec duties to see them all.`,
    },
    manifest: {
      description: "Reminds agencies to report on their plan duties on time; takes the reports right in Slack.",
      about:
        "Nhắc Việc tracks the duties the province's plan assigns to each agency, reminds their contacts to report on time\n" +
        "and helps the Department of Home Affairs gather progress, difficulties and figures.",
      usage: (slash: string) =>
        `One command does it all: ${slash} COMMAND [arguments] (the English name in brackets works too).`,
      join: (slash: string, word: string) => ` To join: ${slash} ${word} INVITE_CODE.`,
      command: (name: string, alias: string, description: string) => `• ${name} (${alias}): ${description}`,
      example:
        "Write to Nhắc Việc privately to report in one line, for example: IV.4.b 60% in progress: data connected.",
      slashDescription: "Report, submit the report, see duties and progress (type help for the commands)",
      slashHint: (names: string) => `[${names}] [arguments]`,
    },
  },

  planErrors: {
    "plan.empty": "The plan file is empty.",
    "plan.no_title": 'No "KẾ HOẠCH" line with a plan title was found: this file does not look like a plan.',
    "plan.no_section_iv": 'Section "IV." (implementation) was not found: there are no agencies to follow up.',
    "plan.no_agency": 'Section "IV." has no numbered agencies (1., 2., ...).',
    "plan.bad_target":
      "A target in section II is missing its rate (%) or its two head counts (for example 1.115.590 người).",
    "plan.no_deadline": 'No reporting deadline ("trước ngày dd/mm") was found in the "Trên đây là..." paragraph.',
  } satisfies Record<PlanErrorCode, string>,
  zalo: {
    fileLink: (name: string, url: string) => `📎 File "${name}": ${url}\n(The download link expires in 24 hours.)`,
    unsupported:
      "Nhắc Việc cannot read this kind of message yet. Please send text, or a photo of the report with /nopbaocao.",
    qrHeader: "Zalo QR code",
  },
  atLine: (line: number) => ` (line ${line})`,
  warningReasons: {
    outside_item: "line outside any numbered item, skipped",
    text_before_duties: "text between the agency name and its duty a), skipped",
    empty_item: "item without text",
    out_of_sequence: "number or letter out of sequence (still read)",
    duplicate_item: "item repeats a code, joined to the previous item",
    target_mismatch: "the written rate differs from participants divided by the eligible population",
    target_extra_text: "extra line after the target's figures, skipped",
  } satisfies Record<PlanWarningReason, string>,

  cli: {
    usageHeader: "Usage: npm run --silent cli -- <command> [options]",
    // Beside the first form of a command in the usage; the forms themselves are in src/cli/.
    summaries: {
      planParse: "read a plan document without saving anything",
      planImport: "load a plan into the register; other plans stay active",
    },
    unknownCommand: (cmd: string) =>
      `Unknown command: "${q(cmd)}". Run "npm run --silent cli -- help" to see the commands.`,
    missingArgument: (what: string) => `Missing ${what}.`,
    // What each command that writes a file had not done yet when writing it failed.
    notDone: { invites: "No invite was created", backup: "Nothing was backed up", export: "Nothing was exported" },
    outputUnwritable: (path: string, notDone: string) =>
      `Cannot write "${path}": the folder does not exist or is not writable. ${notDone}; choose another path.`,
    outputIsFolder: (path: string, notDone: string) =>
      `"${path}" is a folder; give the file's name too (e.g. ${path.replace(/\/+$/, "")}/file-name). ${notDone}.`,
    outputFailed: (path: string, notDone: string) =>
      `Cannot write "${path}": the disk is full or read-only, or files cannot be created there. ${notDone}; choose another path.`,
    backupPostgres:
      'db backup is for the SQLite file. On PostgreSQL, back up with pg_dump, e.g. pg_dump -Fc -d nhacviec -f backup.dump (README, "PostgreSQL").',
    copy: {
      targetArgument: "--to postgresql://USER@HOST:5432/DATABASE",
      done: (target: string, tables: number, rows: number) =>
        `Copied ${num(rows)} rows of ${num(tables)} tables to ${target}; every table's row count was checked:`,
      tableLine: (table: string, rows: number) => `  ${table}: ${num(rows)}`,
    },
    pgUnreachable: (url: string) =>
      `Cannot connect to the PostgreSQL database "${url}": the server is not running, the database has not been created, or the user or password is wrong. Check DATABASE_URL (README, "PostgreSQL").`,
    databaseFault: {
      "db.busy":
        "The database is busy: another process is writing (the bot sending reminders, or a backup). Nothing was written; run the command again in a few minutes.",
      "db.corrupt": (path: string) =>
        `The database file "${path}" is damaged or is not an SQLite file. Restore it from a backup (README, "Backups") or point DATABASE_URL at another file.`,
      "db.unreachable": (path: string) =>
        `Cannot open the database "${path}": the path does not exist, is not writable, or the disk is full. Check DATABASE_URL.`,
    },
    backupFileArgument: "a backup file (e.g. data/backup-2026-12-01.db)",
    backupExists: (path: string) =>
      `"${path}" already exists; choose another name so an older backup is not overwritten.`,
    backupDone: (path: string, bytes: number) =>
      `Backed up the database to "${path}" (${num(Math.ceil(bytes / 1024))} KB).`,
    fileMissing: (path: string) => `Cannot read file "${path}": the file does not exist.`,
    fileUnreadable: (path: string) => `Cannot read file "${path}".`,
    badOption: (detail: string) => `Invalid option: ${detail}`,
    planParsed: (title: string, agencies: number, duties: number, indicators: number, deadline: LocalDate) =>
      `Plan: ${title}\n${plural(agencies, "agency", "agencies")}, ${plural(duties, "duty", "duties")}, ${plural(indicators, "target", "targets")}; reports due before ${date(deadline)}.`,
    planImported: (created: boolean, changed: number) =>
      created
        ? "Loaded the new plan; other plans stay active."
        : changed === 0
          ? "The plan is already loaded; nothing changed."
          : `Updated the plan (${plural(changed, "change", "changes")}):`,
    planChanges: {
      deadline: (from: LocalDate, to: LocalDate) => `• Report deadline: before ${date(from)} → before ${date(to)}`,
      documentNumber: (from: string | null, to: string | null) =>
        `• Document number: ${from ?? "(none)"} → ${to ?? "(none)"}`,
      activated: "• Made the active plan",
      dutiesAdded: (codes: string) => `• New duties: ${codes}`,
      dutiesReworded: (codes: string) => `• Duties reworded: ${codes}`,
      dutiesWithdrawn: (codes: string) => `• Duties withdrawn from the plan: ${codes}`,
      dutiesReordered: (codes: string) => `• Duties in a new order: ${codes}`,
      agencyAdded: (code: string, name: string) => `• New agency: ${code} ${name}`,
      agencyRenamed: (code: string, from: string, to: string) => `• Agency ${code} renamed: ${from} → ${to}`,
      agencyRequested: (code: string, name: string, requested: boolean) =>
        `• ${code} ${name}: the plan now ${requested ? "requests" : "requires"} (before: ${requested ? "requires" : "requests"})`,
      agencyWithdrawn: (code: string, name: string) => `• Agency withdrawn from the plan: ${code} ${name}`,
      agenciesReordered: (codes: string) => `• Agencies in a new order: ${codes}`,
      indicatorAdded: (code: string, name: string) => `• New target: ${code} ${name}`,
      indicatorChanged: (code: string, name: string, fields: string) => `• Target ${code} (${name}): ${fields}`,
      indicatorName: (from: string, to: string) => `name "${from}" → "${to}"`,
      indicatorRate: (from: number, to: number) => `target rate ${pct(from)} → ${pct(to)}`,
      indicatorParticipants: (from: number, to: number) => `target participants ${num(from)} → ${num(to)}`,
      indicatorEligible: (from: number, to: number) => `eligible population ${num(from)} → ${num(to)}`,
      indicatorWithdrawn: (code: string, name: string) => `• Target withdrawn from the plan: ${code} ${name}`,
      indicatorsReordered: (codes: string) => `• Targets in a new order: ${codes}`,
    },
    warnings: (n: number) => `${plural(n, "warning", "warnings")} (the plan was still read; check these lines):`,
    membersAdded: (group: string, added: number, updated: number, unchanged: number) =>
      `Group ${group}: ${added} added, ${updated} updated, ${unchanged} unchanged.`,
    configInvalid: (detail: string) => `Invalid environment configuration: ${detail}`,
    failed: (detail: string) => `Error: ${detail}`,
    planFileArgument: "the plan file path",
    csvFileArgument: "the CSV file path",
    jsonFileArgument: "the JSON file path",
    policyInvalid: (detail: string) => `Invalid reminder policy, nothing was saved: ${detail}`,
    inviteCreated: (code: string, agency: string | null, expiresAt: string) =>
      `Invite code ${code} for ${agency ?? "a coordinator"}, expires ${expiresAt}.`,
    noContacts: "No one has joined yet.",
    contactMoved: (name: string, code: string, agency: string) => `${name} is now a contact of ${code} ${agency}.`,
    directoryLine: (section: string, name: string, code: string, matched: boolean) =>
      `  ${section}\t${code}\t${name}${matched ? "" : " (new in the directory)"}`,
    directoryHeader: "Agencies (section in the plan, directory code, name):",
    planCode: (code: string) => `Plan code: ${code}.`,
    planLine: (
      code: string,
      title: string,
      deadline: string,
      active: boolean,
      submitted: number,
      agencies: number,
      duties: number,
    ) =>
      `${code}\t${active ? "active" : "closed"}\tbefore ${deadline}\t${agencies} agencies, ${duties} duties, ${submitted}/${agencies} submitted\t${title}`,
    noPlans: "No plan yet. Import one: plan import FILE",
    planClosed: (code: string, already: boolean) =>
      already
        ? `Plan ${code} was already closed.`
        : `Plan ${code} closed: no more reminders or digests; its report history stays and can still be exported (export --plan ${code}).`,
    aliasAdded: (code: string, name: string) => `Added the name "${name}" for ${code}.`,
    agencyLine: (code: string, name: string, plans: string, contacts: number) =>
      `${code}\t${name}\t${plans || "-"}\t${contacts} contacts`,
    noAgencies: "The agency directory is empty.",
    calendarMissing: (years: string) =>
      `No holiday calendar for ${years}: reminders may fall on days off. Load one: calendar import FILE.csv`,
    badNow: "--now must be an ISO 8601 instant, e.g. 2026-12-14T08:00 (Vietnam time) or 2026-12-14T08:00+07:00.",
    tickCounts: (due: number, sent: number, skipped: number) => `Due: ${due}, sent: ${sent}, skipped: ${skipped}`,
    calendarBadCsv: (line: number | null) =>
      `Invalid calendar file${line ? ` at line ${line}` : ""}: it needs the columns date (YYYY-MM-DD), kind (holiday, day_off or makeup_workday) and name.`,
    calendarImported: (added: number, updated: number, unchanged: number) =>
      `Calendar: ${added} added, ${updated} updated, ${unchanged} unchanged.`,
    inactive: "deactivated",
    localAdminName: "Administrator (this machine)",
    serverListening: (host: string, port: number) =>
      `Nhắc Việc is running in server mode on http://${host}:${port} (health: /healthz). Stop with Ctrl+C.`,
    chatBanner: "Nhắc Việc: local chat as administrator. Type /help to see the commands, Ctrl+D to exit.",
    chatGreeting: (name: string) =>
      `Nhắc Việc: local chat as ${name}. Type /start CODE to join, /help to see the commands, Ctrl+D to exit.`,
  },

  // One text per error code, for the chat and the CLI alike; where the two need other words (a
  // command to type), the entry has one for each.
  errors: {
    "plan.none_active": () => "There is no active plan yet.",
    "agency.unknown": ({ query }) => `Agency "${q(query)}" was not found. For example: IV.4, 4 or IV.9-25195.`,
    "agency.ambiguous": ({ query, candidates: c }) =>
      `"${q(query)}" matches several agencies (${c}). Please give the code.`,
    "agency.is_group": () =>
      "This agency is a group (for example the commune People's Committees): use --group CODE to create a code for each unit.",
    "agency.not_group": () => "This agency has no member units: use --agency CODE.",
    "agency.not_in_plan": ({ agency, plan }) => `Agency ${agency} has no part in plan ${plan}.`,
    "agency.alias_taken": ({ name, agency }) => `The name "${q(name)}" already belongs to agency ${agency}.`,
    "plan.unknown": ({ code, codes }) =>
      `No active plan has the code "${q(code)}".` + (codes ? ` Plans: ${codes}.` : ""),
    "plan.choose": ({ codes }) =>
      `Several plans are active (${codes}): give a plan code, e.g. --plan ${codes.split(", ")[0]}.`,
    "plan.bad_code": ({ code }) =>
      `Plan code "${q(code)}" is not valid: use letters and digits, starting with a letter, at most 16 characters, e.g. BHXH26.`,
    "plan.code_taken": ({ code }) => `Plan code ${code} is already used by another plan.`,
    "plan.new_agencies": ({ names }) =>
      `The document names agencies the directory lacks: ${names}. Nothing was stored. Add --create-agencies to create them, or give an existing agency the other name: agencies alias CODE "OTHER NAME".`,
    "members.bad_csv": ({ line }) =>
      `Invalid CSV file at line ${line}: a header row is required with the columns "ma" (unit code, digits only) and "ten" (unit name), each code once.`,
    "invite.unknown": () => "The invite code is incorrect. Please check it, for example: /start ABCDE-FGHJK",
    "invite.used": () =>
      "This invite code has already been used. Each code works only once; please ask the Department of Home Affairs for a new one.",
    "invite.expired": () => "This invite code has expired. Please ask the Department of Home Affairs for a new one.",
    "invite.revoked": () => "This invite code has been revoked. Please contact the Department of Home Affairs.",
    "invite.rate_limited": () =>
      "The invite code you entered cannot be used, and you have entered a wrong invite code 5 times within an hour. Please copy the exact code the Department of Home Affairs sent, or ask it for a new one.",
    "invite.too_many_wrong": () =>
      "The invite code you entered cannot be used. Too many wrong invite codes were entered recently; please copy the exact code the Department of Home Affairs sent, or ask it for a new one.",
    "invite.link_inactive": () =>
      "This link code belongs to an account that has been deactivated, so it cannot be used; nothing was recorded. To join, please ask the Department of Home Affairs for a new invite code.",
    "invite.already_joined": () => "You have already joined Nhắc Việc. Type /help to see the commands.",
    "invite.bad_role": () => '--role accepts only "contact" (with --agency CODE) or "coordinator" (without --agency).',
    "invite.admin_only": () =>
      "Only an administrator can create invites for coordinators. To invite a contact: /invite AGENCY.",
    "invite.revoke_unknown": () => "There is no such invite code.",
    "invite.revoke_used": () => "This invite code has already been used and cannot be revoked.",
    "contact.unknown": {
      chat: ({ id }) => `There is no contact #${q(String(id))}. See the numbers with /contacts AGENCY.`,
      cli: () => "There is no user with that number. See the numbers with: npm run --silent cli -- contacts list",
    },
    "contact.no_agency": () =>
      "Your contact account is not linked to any agency, so this cannot be done yet. Please contact the Department of Home Affairs.",
    "indicator.unknown": ({ code, codes }) =>
      `There is no target "${q(code)}". Codes: ${codes}. For example /figures II.1 1,120,000`,
    "indicator.bad_number": ({ value }) =>
      `"${q(value)}" is not a valid number of people (a whole number, not more than the eligible population). For example /figures II.1 1,120,000`,
    "indicator.not_allowed": () =>
      "Your agency is not assigned to update the target figures. The figures are updated by the Provincial Social Insurance.",
    "submission.none": ({ agency: a }) => `${agencyName(a)} has not submitted any report that could be reopened.`,
    "submission.reopened": ({ agency: a, at }) =>
      `The report of ${agencyName(a)} was already reopened at ${formatDateTimeVi(at)} and is waiting to be submitted again; no need to reopen it again.`,
    "difficulty.unknown": ({ id }) => `There is no issue #${q(String(id))}. Type /issues to see the list.`,
    "difficulty.resolved": ({ id }) => `Issue #${q(String(id))} has already been resolved.`,
    "file.too_large": () =>
      "The file is too large (at most 20 MB) and was not accepted. Please send a smaller photo or a compressed PDF.",
    "export.not_allowed": ({ agency }) => `You can export only your own agency's figures, not ${agency}.`,
    "db.copy_source_not_sqlite": () =>
      "db copy copies from the SQLite file in use, but DATABASE_URL points at PostgreSQL. Set DATABASE_URL to the SQLite file to move.",
    "db.copy_target_not_postgres": () =>
      "The copy's target must be a PostgreSQL URL, e.g. --to postgresql://postgres@127.0.0.1:5432/nhacviec.",
    "db.copy_target_not_empty": ({ tables }) =>
      `The target database already holds data (tables: ${tables}). Copy only into a newly created, empty database; nothing was written.`,
    "db.copy_count_mismatch": ({ table, expected, copied }) =>
      `Table ${table} did not copy exactly (source ${num(expected)} rows, target ${num(copied)}). Everything was undone; the target is still empty.`,
  } satisfies ErrorTexts,

  bot: {
    statusLabel: {
      not_started: "Not started",
      in_progress: "In progress",
      blocked: "Blocked",
      done: "Done",
      not_reported: "Not reported",
    } satisfies Record<DutyState, string>,
    statusIcon: STATUS_ICON,
    daysLeft: (n: number) =>
      n > 1 ? `${n} days left` : n === 1 ? "today is the last day" : `${plural(1 - n, "day", "days")} overdue`,
    agencyItem: (code: string, name: string) => `• ${code} ${name}`,
    memberName,
    roleName: { contact: "contact", coordinator: "coordinator", admin: "administrator" } satisfies Record<Role, string>,

    notJoined:
      "Hello! Nhắc Việc helps agencies follow up and report on their duties under the provincial plan.\n" +
      "To join, type /start followed by the invite code issued by the Department of Home Affairs, for example: /start ABCDE-FGHJK\n" +
      "If you do not have an invite code, please contact the Department of Home Affairs.",
    deactivated:
      "Your contact account has been deactivated. To join again, please ask the Department of Home Affairs for a new invite code.",
    welcomeContact: (
      person: string,
      agency: string,
      requested: boolean,
      duties: number,
      deadline: LocalDate,
      overdue: boolean,
    ) =>
      `Hello ${person}! You have joined Nhắc Việc as the contact for ${agency}.\n` +
      (requested
        ? `The plan requests ${agency} to help carry out ${plural(duties, "duty", "duties")}`
        : `The plan assigns ${agency} ${plural(duties, "duty", "duties")}`) +
      (overdue
        ? `; the deadline (before ${date(deadline)}) has passed, so please send the report as soon as possible.\n`
        : `; please report results before ${date(deadline)}.\n`) +
      "Type /duties to see your duties, /report to report progress, /help to see all commands.",
    welcomeCoordinator: (person: string) =>
      `Hello ${person}! You have joined Nhắc Việc as a coordinator. Type /status to see the overall situation, /help to see the commands.`,
    linked: (person: string) =>
      `This account is now linked to ${person}. You can use Nhắc Việc here just as elsewhere.`,
    unknownCommand: (cmd: string) => `There is no /${q(cmd)} command. Type /help to see the commands available to you.`,
    notAllowed: (cmd: string) =>
      `The /${q(cmd)} command is not available for your role. Type /help to see the commands available to you.`,
    notUnderstood: (example: string) =>
      `Sorry, I did not understand this message. For a quick report, type one line, for example:\n${example}\nOr type /report for step-by-step guidance, /help to see the commands.`,
    notUnderstoodCoordinator:
      "Sorry, I did not understand this message. Type /help to see the commands, for example /status.",
    privateOnly: "To keep your agency's information private, please message Nhắc Việc directly (not in a group).",
    alreadyHandled: "This request has already been handled.",
    whichPlan: (command: string) =>
      `Your agency is in several active plans. Which plan is ${command} for? (Next time you can put the plan's code after the command, e.g. ${command} BHYT26.)`,
    whichPlanOfAll: (command: string, example: string) =>
      `Several plans are active. Which plan is ${command} for? (Next time you can put the plan's code after the command, e.g. ${command} ${example}.)`,
    staleChoice: "This choice is no longer valid. Type /help to see the commands.",
    /** A form's field the core cannot read at all (a value no form of ours sends). */
    fieldInvalid: "This value is not valid.",
    cancelled: "Cancelled. Nothing was recorded.",
    nothingToCancel: "There is nothing in progress to cancel.",
    tooLong: (max: number) =>
      `That message is too long (at most ${num(max)} characters) and was not recorded. Please shorten it or send it in parts.`,
    busy: "The system is busy and your last message was NOT recorded. Please send it again in a few minutes.",
    internalError: "Sorry, a system error occurred; your message was not recorded. Please try again in a few minutes.",
    flowInvalid:
      "What you had in progress can no longer be read (Nhắc Việc may have been updated), so it was cancelled and nothing was recorded. Please start again, or type /help to see the commands.",
    flowReminder: "You have a report in progress. Answer the question above or type /cancel to cancel.",
    languageSet: "Switched to English.",
    languageUsage: "Usage: /language vi or /language en",
    linkCode: (code: string, days: number) =>
      `Link code: ${code}\nOpen Nhắc Việc on the other platform and type /start ${code} within ${plural(days, "day", "days")}. The code works only once.`,

    // Keyed by the registry's Vietnamese names (src/model/commands.ts), like vi.ts.
    commands: {
      batdau: {
        description: "Join with an invite code or a link code",
        usage: "/start (/batdau) CODE: join with an invite code or a link code",
      },
      nhiemvu: {
        description: "Your agency's duties, progress and days left",
        usage: "/duties (/nhiemvu): your agency's duties, progress and days left",
      },
      baocao: {
        description: "Report progress step by step",
        usage: "/report (/baocao): report progress step by step (duty, status, percentage, note)",
      },
      nopbaocao: {
        description: "Submit your agency's official report",
        usage: "/submit (/nopbaocao) [DOCUMENT_NO] [dd/mm/yyyy]: submit your agency's official report",
      },
      vuongmac: {
        description: "Report a difficulty, obstacle or proposal",
        usage: "/issue (/vuongmac) TEXT: report a difficulty, obstacle or proposal",
      },
      chitieu: {
        description: "Update the number of participants",
        usage:
          "/figures (/chitieu) CODE PEOPLE: update the number of participants, for example /figures II.1 1,120,000",
      },
      kehoach: {
        description: "Summary of the plan and its targets",
        usage: "/plan (/kehoach) [PLAN_CODE]: the active plans, or one plan's summary and targets",
      },
      theodoi: {
        description: "Choose the plans you follow",
        usage: "/follow (/theodoi) [PLAN_CODE…|all]: the plans your views and daily digest cover",
      },
      tongquan: {
        description: "Overall situation or one agency's",
        usage: "/status (/tongquan) [AGENCY]: overall situation or one agency's, for example /status IV.9",
      },
      quahan: {
        description: "Agencies yet to submit and their open duties",
        usage: "/overdue (/quahan): agencies that have not submitted their report and their open duties",
      },
      nhac: {
        description: "Remind the contacts of agencies yet to submit",
        usage: "/remind (/nhac) AGENCY|all: remind the contacts of one agency, or of all agencies yet to submit, now",
      },
      moi: {
        description: "Create an invite code",
        usage:
          "/invite (/moi) AGENCY: create a contact invite code (administrators: /invite coordinator to invite a coordinator)",
      },
      daumoi: {
        description: "List an agency's contacts",
        usage: "/contacts (/daumoi) AGENCY: list an agency's contacts",
      },
      khoa: {
        description: "Deactivate a contact, keeping their history",
        usage: "/deactivate (/khoa) CONTACT_NO: deactivate a contact (on a staff change), keeping their history",
      },
      thuhoi: {
        description: "Revoke an unused invite code",
        usage: "/revoke (/thuhoi) INVITE_CODE: revoke an unused invite code",
      },
      dsvuongmac: { description: "Unresolved issues", usage: "/issues (/dsvuongmac): unresolved issues" },
      giaiquyet: {
        description: "Reply to and close an issue",
        usage: "/resolve (/giaiquyet) NO TEXT: reply to and close an issue",
      },
      molai: {
        description: "Reopen a submitted report for the agency to add to",
        usage: "/reopen (/molai) AGENCY COMMENT: reopen a submitted report so the agency can add to it",
      },
      tamdung: {
        description: "Pause reminders for an agency",
        usage: "/pause (/tamdung) AGENCY dd/mm[/yyyy]: pause reminders until the end of that day",
      },
      tieptuc: { description: "Resume reminders for an agency", usage: "/resume (/tieptuc) AGENCY: resume reminders" },
      xuat: {
        description: "Export the tables (Excel or CSV)",
        usage: "/export (/xuat) [xlsx|csv] [AGENCY]: get the progress tables as Excel (default) or CSV",
        contactUsage: "/export (/xuat) [xlsx|csv]: get your agency's progress tables as Excel (default) or CSV",
      },
      baocaotonghop: {
        description: "Draft summary report (Word)",
        usage: "/summary (/baocaotonghop) [AGENCY]: get the draft summary report as a Word document",
        contactUsage: "/summary (/baocaotonghop): get your agency's draft report as a Word document",
      },
      bieudo: {
        description: "Progress chart",
        usage: "/chart (/bieudo) [AGENCY]: get the progress chart (PNG image)",
        contactUsage: "/chart (/bieudo): get your agency's progress chart (PNG image)",
      },
      tailieu: {
        description: "The file attached to an agency's report",
        usage: "/document (/tailieu) AGENCY: get the file attached to the agency's submitted report",
      },
      ngonngu: {
        description: "Change the language (vi, en)",
        usage: "/language (/ngonngu) vi|en: change the language",
      },
      lienket: {
        description: "Use the same account on another platform",
        usage: "/link (/lienket): get a code to use the same account on another platform",
      },
      huy: { description: "Cancel the action in progress", usage: "/cancel (/huy): cancel the action in progress" },
      trogiup: { description: "List of commands", usage: "/help (/trogiup): list of commands" },
    } satisfies Record<CommandName, CommandText>,

    help: {
      header: (role: string) => `Your commands (${role}):`,
      oneLine: (example: string) => `Quick one-line report: ${example}`,
    },

    duties: {
      planHeader: (code: string, title: string) => `📋 Plan ${code}: ${title}`,
      footerPlans: (example: string) =>
        `To report: type /report, or one line, with the plan's code first if you like, such as: ${example}\nWhen done, type /submit to submit your agency's report.`,
      header: (agency: string, deadline: LocalDate, daysLeft: string, submitted: boolean) =>
        `Duties of ${agency} (report due before ${date(deadline)}, ${daysLeft})` +
        (submitted ? "\nThe agency has submitted its report." : "\nThe agency has not submitted its report yet."),
      line: (icon: string, code: string, title: string, status: string, percent: number, updated: string | null) =>
        `${icon} ${code}: ${title}\n   ${status}${updated ? ` ${percent}% · updated ${updated}` : ""}`,
      footer: (example: string) =>
        `To report: type /report, or one line such as: ${example}\nWhen finished, type /submit to submit your agency's report.`,
      none: "Your agency has no duties in the active plan.",
    },

    report: {
      whichPlan: (ref: string) =>
        `Duty ${q(ref)} is in several of your agency's plans. Which plan is this report for? (Next time you can write the plan's code first, e.g. BHYT26 ${q(ref)} done.)`,
      pickDuty: (example: string) =>
        `Choose the duty to report on (or type its code, for example ${example}). Type /cancel to cancel.`,
      dutyChoice: (code: string, title: string, icon: string) => `${icon} ${code} ${title}`,
      pickStatus: (code: string, title: string) => `${code}: ${title}\nChoose a status:`,
      askPercent: "Enter the completion percentage, a number from 1 to 99 (for example 60). Type /cancel to cancel.",
      badPercent:
        "The percentage must be a number from 1 to 99, for example 60. Enter it again or type /cancel to cancel.",
      askNote: "Add a note (results, figures...), or choose Skip:",
      askDifficulty:
        "Briefly describe the difficulty or proposal (it will be forwarded at once to the Department of Home Affairs):",
      skipNote: "Skip",
      badDuty: (example: string) =>
        `That duty was not found. Choose one from the list or type its code, for example ${example}.`,
      badStatus: "Please choose a status from the list, or type: done, in progress, blocked, not started.",
      saved: (code: string, title: string, status: string, percent: number, note: string | null, at: string) =>
        `Report recorded:\n${code}: ${title}\nStatus: ${status} (${percent}%)\n` +
        (note ? `Note: ${note}\n` : "") +
        `At: ${at}`,
      escalated: "The issue has been forwarded to the Department of Home Affairs.",
      errors: {
        "report.malformed": (example) =>
          `The report could not be read. Please write: duty code, percentage, status, then ":" and a note. For example:\n${example}`,
        "report.percent_range": (example, { value }) =>
          `${Math.abs(value) <= 1000 ? pct(value) : "That percentage"} is not valid: the percentage must be a whole number from 0% to 100%. For example:\n${example}`,
        "report.note_too_long": (_example, { length }) =>
          `The note is too long (${num(length)} characters, maximum 2,000). Please shorten it or attach a document when you submit the report.`,
        "report.conflict": (example) =>
          `The percentage and the status do not match (done is 100%, not started is 0%). For example:\n${example}`,
        "report.two_reports": (example, { refs }) =>
          `The message reports on ${refs.length} duties (${refs.map(q).join(", ")}); please send one line per duty. For example:\n${example}`,
        "duty.unknown": (example, { ref, candidates }) =>
          `There is no duty "${q(ref)}" among your agency's duties` +
          (candidates?.length
            ? `; your agency's duties are ${candidates.join(", ")}.`
            : ". Type /duties to see the codes.") +
          ` For example:\n${example}`,
        "duty.ambiguous": (example, { ref, candidates }) =>
          `"${q(ref)}" matches several duties (${(candidates ?? []).join(", ")}); please give the exact code. For example:\n${example}`,
        "duty.other_agency": (example, { ref }) =>
          `Duty ${q(ref)} does not belong to your agency, so you cannot report on it. An example for your agency's duties:\n${example}`,
      } satisfies ReportErrorTexts,
      example: (code: string) => `${code} 60% in progress: screened 80 businesses`,
    },

    figures: {
      usage: (codes: string) => `Usage: /figures CODE PEOPLE, for example /figures II.1 1,120,000 (codes: ${codes})`,
      saved: (
        code: string,
        name: string,
        participants: number,
        rate: number,
        target: number,
        targetRate: number,
        at: string,
      ) =>
        `Figures recorded for ${code} (${name}): ${num(participants)} people, ${pct(rate)} (target ${pct(targetRate)}, ${num(target)} people). At: ${at}`,
    },

    submit: {
      preview: (agency: string, lines: string, doc: string | null, notDone: number, attachment: string | null) =>
        `The report of ${agency}${doc ? ` (${doc})` : ""} will include the following duty status:\n${lines}\n` +
        (notDone > 0 ? `Note: ${plural(notDone, "duty is", "duties are")} not yet done.\n` : "") +
        (attachment
          ? `Attached file: "${attachment}" (send another file to replace it). `
          : "You may attach the report document before confirming. ") +
        "Submit the report?",
      changed:
        "The duties were just updated (perhaps by another contact of your agency). Please check again before submitting.",
      confirm: "Submit report",
      cancel: "Cancel",
      docLabel: (number: string | null, d: LocalDate | null) =>
        [number ? `No. ${number}` : null, d ? `dated ${date(d)}` : null].filter(Boolean).join(", "),
      dateInFuture: (d: LocalDate) =>
        `The document date ${date(d)} is after today: submit only a signed document dated today or earlier.`,
      dateTooEarly: (d: LocalDate, year: number) =>
        `The document date ${date(d)} is before the plan's year (${year}). Please check the year.`,
      twoDates: "Give only one document date.",
      extraWord: (word: string) =>
        `"${q(word)}" is not understood: write the document number without spaces (e.g. 123/BC-SNV).`,
      numberTooLong: (max: number) => `The document number is too long (at most ${max} characters).`,
      badArgs: "Usage: /submit [DOCUMENT_NO] [dd/mm/yyyy], for example /submit 123/BC-SNV 10/12/2026",
      attachmentNoted: (name: string) => `Received file "${name}"; it will be attached to the report when you confirm.`,
      fileNotReceived: (f: { name: string; problem: AttachmentProblem; size: number | null; max: number }) =>
        f.problem === "too_large"
          ? `The file is too large (at most ${mb(f.max)}) and was not received: "${f.name}"${f.size ? ` (${mb(f.size)})` : ""}. ` +
            `Please scan it again at a lower resolution or compress the PDF below ${mb(f.max)}, then send it again.`
          : `The file "${f.name}" was not received: it could not be downloaded. Please try sending it again.`,
      withoutFileHint:
        'The report has no file attached now. You may send the file again, or choose "Submit without file" to submit the report without one.',
      submitWithoutFile: "Submit without file",
      stillAttached: (name: string) => `The report still carries the file "${name}" received earlier.`,
      fileOutsideSubmission: (name: string) =>
        `The file "${name}" was not saved: Nhắc Việc only takes a file sent with a report submission. To attach it, ` +
        "send it again with the caption /submit (a document number and date may follow), or type /submit and then send the file.",
      fileNotForCoordinators: (name: string) =>
        `The file "${name}" was not saved: Nhắc Việc only keeps files that agency contacts send with their reports.`,
      done: (agency: string, at: string, onTime: boolean, doc: string | null, attachment: string | null) =>
        `The report of ${agency} was submitted at ${at}${doc ? ` (${doc})` : ""}${attachment ? `, with file "${attachment}"` : ""}.\n` +
        (onTime
          ? "The report was submitted on time. Thank you!"
          : "The report was submitted after the deadline. Thank you for sending it.") +
        "\nTo add to it, type /submit again: the new report will replace this one.",
      received: (
        agency: string,
        person: string,
        at: string,
        onTime: boolean,
        done: number,
        total: number,
        doc: string | null,
        attachment: string | null,
      ) =>
        `📥 ${agency} submitted its report at ${at} (${onTime ? "on time" : "late"}), submitted by: ${person}.\n` +
        `${done}/${total} duties done.` +
        (doc ? ` Document ${doc}.` : "") +
        (attachment ? ` Attachment: ${attachment}.` : ""),
      reopenUsage: "Usage: /reopen AGENCY COMMENT, for example /reopen IV.2 Please add the figures on new businesses",
      reopened: (agency: string) => `Reopened the report of ${agency} and sent the comment to its contacts.`,
      reopenedNotice: (agency: string, comment: string) =>
        `The Department of Home Affairs has reopened the report of ${agency} with the comment:\n"${comment}"\nPlease update it and type /submit to submit it again.`,
      badDate: "The document date is not valid. Write it as dd/mm/yyyy, for example 10/12/2026.",
    },

    difficulty: {
      usage:
        "Usage: /issue TEXT, for example /issue Missing data on newly established businesses from the Department of Finance",
      recorded: (id: number) =>
        `Issue #${id} has been recorded and forwarded to the Department of Home Affairs. You will receive the reply here.`,
      raised: (id: number, agency: string, duty: string | null, text: string, person: string) =>
        `⚠️ Issue #${id} from ${agency}${duty ? `, duty ${duty}` : ""} (${person}):\n${text}\nReply: /resolve ${id} TEXT`,
      listHeader: (n: number) => `${plural(n, "unresolved issue", "unresolved issues")}:`,
      listLine: (id: number, agency: string, duty: string | null, text: string, at: string) =>
        `#${id} · ${agency}${duty ? ` · ${duty}` : ""} · ${at}\n   ${text}`,
      none: "There are no issues awaiting resolution.",
      resolveUsage:
        "Usage: /resolve NO REPLY_TEXT, for example /resolve 3 We have asked the Department of Finance to provide the data",
      resolved: (id: number, agency: string) => `Closed issue #${id} and sent the reply to ${agency}.`,
      resolvedNotice: (id: number, text: string, resolution: string) =>
        `The Department of Home Affairs has replied to issue #${id} ("${text}"):\n${resolution}`,
      tooLong: "The text is too long (maximum 2,000 characters). Please shorten it.",
    },

    coord: {
      overviewHeader: (title: string, deadline: LocalDate, daysLeft: string) =>
        `Plan ${title}\nReport deadline: before ${date(deadline)} (${daysLeft})`,
      submittedCount: (submitted: number, total: number) =>
        `${submitted}/${total} agencies have submitted their report`,
      agencyRow: (
        icon: string,
        code: string,
        name: string,
        submitted: boolean,
        done: number,
        total: number,
        extra: string,
      ) => `${icon} ${code} ${name}: ${submitted ? "submitted" : "not submitted"} · done ${done}/${total}${extra}`,
      groupExtra: (submitted: number, total: number) => ` · ${submitted}/${total} units have submitted their report`,
      dutyTotals: (counts: string, units: number, entries: number) =>
        `Duties by status, counted for each agency and unit (${plural(units, "agency or unit", "agencies and units")}; ${plural(entries, "duty entry", "duty entries")}): ${counts}`,
      indicatorsHeader: "Targets:",
      indicatorLine: (
        code: string,
        name: string,
        latest: number | null,
        rate: number | null,
        target: number,
        targetRate: number,
      ) =>
        `${code} ${name}: ${latest === null ? "no figures yet" : `${num(latest)} people (${pct(rate ?? 0)})`} / target ${num(target)} people (${pct(targetRate)})`,
      agencyHeader: (
        name: string,
        code: string,
        submitted: boolean,
        at: string | null,
        onTime: boolean | null,
        contacts: number,
      ) =>
        `${code} ${name}\n${submitted ? `Report submitted at ${at}${onTime === false ? " (late)" : ""}` : "Report not submitted"} · ${plural(contacts, "contact", "contacts")}`,
      groupHeader: (name: string, code: string, submitted: number, total: number) =>
        `${code} ${name}\n${submitted}/${total} have submitted their report`,
      groupDutyLine: (code: string, title: string, counts: string) => `${code}: ${title}\n   ${counts}`,
      membersNotSubmitted: (n: number, noContact: number) =>
        `${plural(n, "unit has", "units have")} not submitted their report` +
        (noContact > 0 ? `; ${plural(noContact, "has", "have")} no contact.` : "."),
      overdueHeader: (n: number, deadline: LocalDate, daysLeft: string) =>
        `${plural(n, "agency has", "agencies have")} not submitted their report (due before ${date(deadline)}, ${daysLeft}):`,
      overdueLine: (code: string, name: string, open: string) => `• ${code} ${name}: ${open}`,
      overdueGroupLine: (code: string, name: string, missing: number, total: number, noContact: number) =>
        `• ${code} ${name}: ${missing}/${total} units have not submitted their report` +
        (noContact > 0 ? `; ${plural(noContact, "unit has", "units have")} no contact` : ""),
      membersButton: (code: string, n: number) => `List ${code} (${n})`,
      nudgeMembersButton: (n: number) => `Remind ${plural(n, "unit", "units")} with contacts`,
      membersHeader: (code: string, name: string, missing: number, noContact: number) =>
        `${code} ${name}: ${plural(missing, "unit has", "units have")} not submitted their report` +
        (noContact > 0 ? `, ${plural(noContact, "has", "have")} no contact` : "") +
        ":",
      memberLine: (code: string, name: string, contacts: number) =>
        `– ${code} ${name}: ${contacts > 0 ? plural(contacts, "contact", "contacts") : "no contact yet"}`,
      membersNone: (code: string) => `${code}: every unit has submitted its report.`,
      pageFooter: (page: number, pages: number) => `Page ${page}/${pages}`,
      pagePrevious: "‹ Previous page",
      pageNext: "Next page ›",
      openDuties: (codes: string) => (codes ? `open: ${codes}` : "all duties done, report not submitted"),
      noneOverdue: "All agencies have submitted their report.",
      remindSent: (agencies: number, people: number) =>
        `Sent a reminder to ${plural(people, "contact", "contacts")} of ${plural(agencies, "agency", "agencies")}.`,
      remindQueued: (agencies: number, people: number, at: string) =>
        `Reminders queued for ${people} contacts of ${agencies} agencies; as it is night, they will go out at ${at}.`,
      remindAllSubmitted: (agency: string) => `${q(agency)}: the report has been submitted; no reminder is needed.`,
      remindNoContacts: (agency: string | null, units: number) =>
        agency === null
          ? `${units} agencies or units have not submitted but have no contacts to remind. Create invites with /invite.`
          : units > 1
            ? `${q(agency)}: ${units} units have not submitted but have no contacts to remind. Create invites with /invite.`
            : `${q(agency)}: not submitted, but there is no contact to remind. Create an invite: /invite ${q(agency)}`,
      remindAllConfirm: (agencies: number, people: number) =>
        `Send a reminder to ${plural(people, "contact", "contacts")} of ${plural(agencies, "agency", "agencies")} yet to submit their report?`,
      remindConfirm: "Send reminder",
      remindUsage: "Usage: /remind AGENCY or /remind all, for example /remind IV.2",
      inviteCreated: (code: string, agency: string, expires: string, link: string | null) =>
        `Invite code for ${agency}: ${code}\nExpires: ${expires}. The recipient types /start ${code}` +
        (link ? ` or opens ${link}` : "") +
        ". The code works only once.",
      inviteGroup: (group: string, n: number) =>
        `${group} is a group of ${plural(n, "unit", "units")}; each unit needs its own code. For example /invite ${group}-UNIT_CODE, or use the admin command "invite create --group" to create them all at once.`,
      inviteUsage: "Usage: /invite AGENCY, for example /invite IV.2 or /invite IV.9-25195",
      coordinatorLabel: "coordinator",
      revokeUsage: "Usage: /revoke INVITE_CODE",
      revoked: "The invite code has been revoked.",
      contactsHeader: (agency: string, n: number) => `${agency}: ${plural(n, "contact", "contacts")}`,
      contactLine: (id: number, name: string, active: boolean, since: string) =>
        `#${id} ${name} · since ${since}${active ? "" : " · deactivated"}`,
      noContacts: (agency: string) => `${agency} has no contacts yet. Create an invite code: /invite`,
      contactsUsage: "Usage: /contacts AGENCY, for example /contacts IV.4",
      cannotDeactivateAdmin: (id: number) =>
        `#${id} is the system administrator and cannot be deactivated with /deactivate.`,
      onlyAdminDeactivatesCoordinator: (id: number) =>
        `#${id} is a coordinator; only an administrator can deactivate a coordinator.`,
      deactivateUsage: "Usage: /deactivate CONTACT_NO (see the numbers with /contacts AGENCY)",
      deactivated: (name: string) => `Contact ${name} has been deactivated. Their earlier reports are kept.`,
      closeAdminOnly: "Only an administrator can close a plan.",
      closeConfirm: (code: string, title: string) =>
        `Close plan ${code} (${title})? It will leave reminders, digests and the views; its report history stays and can still be exported.`,
      closeYes: "Close the plan",
      planClosed: (code: string, already: boolean) =>
        already ? `Plan ${code} was already closed.` : `Plan ${code} closed. Its report history stays.`,
      following: (followed: string | null, all: string) =>
        followed === null
          ? `You follow every plan (${all}). To follow only some: /follow PLAN_CODE…`
          : `You follow: ${followed || "no active plan"}. Follow all again: /follow all`,
      followingAll: "You now follow every active plan.",
      followingNow: (codes: string) =>
        `Your views and daily digest now cover only: ${codes}. Follow all again: /follow all`,
      planCodeLine: (code: string, active: boolean) => `Plan code: ${code}${active ? "" : " (closed)"}`,
      plansHeader: (n: number) => `${n} plans are active (nearest deadline first):`,
      planListLine: (
        code: string,
        title: string,
        deadline: LocalDate,
        daysLeft: string,
        submitted: number,
        agencies: number,
        membersSubmitted = 0,
        members = 0,
      ) =>
        `• ${code}: ${title}\n   before ${date(deadline)} (${daysLeft}); ${submitted}/${agencies} agencies submitted` +
        (members ? `, ${num(membersSubmitted)}/${num(members)} member units` : ""),
      plansFooter: (code: string) => `One plan: /kehoach CODE, e.g. /kehoach ${code}.`,
      plansTotals: (submitted: number, agencies: number, membersSubmitted: number, members: number) =>
        `Submitted: ${num(submitted)}/${num(agencies)} agency places` +
        (members ? `; ${num(membersSubmitted)}/${num(members)} member unit places` : ""),
      behindTotals: (behind: number, agencies: number, membersBehind: number, members: number) =>
        `Not submitted: ${num(behind)}/${num(agencies)} agency places` +
        (members ? `; ${num(membersBehind)}/${num(members)} member unit places` : ""),
      allPlansSubmitted: (n: number) => `Every agency has submitted in all ${n} plans you follow.`,
      combinedHeader: (command: "tongquan" | "quahan", n: number) =>
        command === "quahan"
          ? `Agencies that have not submitted, in the ${n} plans you follow (nearest deadline first):`
          : `The ${n} plans you follow (nearest deadline first):`,
      planBehindLine: (
        code: string,
        title: string,
        deadline: LocalDate,
        daysLeft: string,
        behind: number,
        agencies: number,
        membersBehind = 0,
        members = 0,
      ) =>
        `• ${code}: ${title}\n   before ${date(deadline)} (${daysLeft}); ${behind}/${agencies} agencies not submitted` +
        (members ? `, ${num(membersBehind)}/${num(members)} member units` : ""),
      combinedFooter: (command: "tongquan" | "quahan", code: string) =>
        `One plan in detail: /${command} PLAN_CODE, e.g. /${command} ${code}.`,
      planSummary: (
        title: string,
        province: string,
        doc: string | null,
        deadline: LocalDate,
        daysLeft: string,
        agencies: number,
        duties: number,
      ) =>
        `Plan ${title}${doc ? ` (No. ${doc})` : ""}\nProvince/city: ${province}\n${plural(agencies, "agency", "agencies")}, ${plural(duties, "duty", "duties")}; results to be reported before ${date(deadline)} (${daysLeft}).`,
      targetLine: (code: string, name: string, rate: number, target: number, eligible: number) =>
        `${code} ${name}: ${pct(rate)} (${num(target)}/${num(eligible)} people)`,
    },

    reminder: {
      mergedHeader: (plans: number) =>
        `🔔 Reminder: your agency has ${plans} plans to report on (nearest deadline first):`,
      mergedLine: (code: string, deadline: LocalDate, daysLeft: string, open: readonly string[]) =>
        `• ${code}, before ${date(deadline)} (${daysLeft}): ${open.length ? `open ${open.join(", ")}` : "only the submission is left"}`,
      mergedMore: (plans: number) => `… and ${plans} more plans: type /nhiemvu to see them all.`,
      mergedFooter: (example: string) =>
        `Quick report (plan code first): ${example}\nOr type /baocao to report step by step, /nopbaocao to submit.`,
      planSection: (code: string) => `📋 Plan ${code}`,
      text: (
        agency: string,
        requested: boolean,
        deadline: LocalDate,
        daysLeft: string,
        lines: string,
        example: string,
        recentReport: boolean,
      ) =>
        `🔔 Reminder: the plan ${requested ? "requests" : "requires"} ${agency} to report its results before ${date(deadline)} (${daysLeft}). The agency has not submitted its report yet.\n` +
        (recentReport
          ? "Thank you for updating your progress; the agency still needs to submit its formal report (/submit).\n"
          : "") +
        (lines
          ? `Duties not yet done:\n${lines}\n`
          : "All duties are done; only the report remains to be submitted.\n") +
        `Quick report: ${example}\nOr type /report to report step by step, /submit to submit the report.`,
      line: (code: string, title: string, status: string) => `• ${code} ${title} (${status})`,
      reportNow: "Report now",
      submitNow: "Submit report",
    },

    digest: {
      missingButton: (n: number) => `Not submitted (${n})`,
      mergedMissingButton: "Not submitted, by plan",
      mergedHeader: (day: LocalDate, plans: number) =>
        `📊 Reporting status on ${date(day)} of the ${plans} plans you follow (nearest deadline first):`,
      mergedLine: (
        code: string,
        deadline: LocalDate,
        daysLeft: string,
        counts: { submitted: number; agencies: number; membersSubmitted: number; members: number },
        difficulties: number,
      ) =>
        `• ${code}, before ${date(deadline)} (${daysLeft}): ${counts.submitted}/${counts.agencies} agencies submitted` +
        (counts.members ? `, ${num(counts.membersSubmitted)}/${num(counts.members)} member units` : "") +
        (difficulties ? `; ${difficulties} new difficulties` : ""),
      mergedMore: (plans: number) => `… and ${plans} more plans: type /tongquan to see them all.`,
      moreDifficulties: (n: number) => `… and ${n} more difficulties: type /dsvuongmac to see them.`,
      sectionCut: "…",
      calendarMissing: (years: string) =>
        `⚠️ No holiday calendar for ${years}: reminders may fall on days off. Load it with: calendar import FILE.csv`,
      header: (day: LocalDate, deadline: LocalDate, daysLeft: string) =>
        `📊 Reporting status on ${date(day)} (due before ${date(deadline)}, ${daysLeft})`,
      agencies: (submitted: number, total: number) =>
        `Provincial agencies: ${submitted}/${total} have submitted their report`,
      group: (code: string, name: string, submitted: number, total: number) =>
        `${code} ${name}: ${submitted}/${total} have submitted their report`,
      missingHeader: (n: number) => `Not yet submitted (${plural(n, "agency", "agencies")}):`,
      noneMissing: "Everyone has submitted their report.",
      difficultyLine: (id: number, agency: string, duty: string | null, text: string) =>
        `• #${id} ${agency}${duty ? ` (${duty})` : ""}: ${text}`,
      difficultiesHeader: (n: number) => `New difficulties (${n}):`,
      noDifficulties: "No new difficulties.",
      resolvedHeader: (n: number) => `Difficulties resolved since the last digest (${n}):`,
      wrongCodes: (codes: number, accounts: number, limit: number) =>
        `⚠️ ${num(codes)} wrong invite codes from ${num(accounts)} accounts since the last digest, reaching the limit of ${num(limit)} wrong codes in an hour: someone may be guessing. Past the limit wrong codes are refused; right codes still work. Unused codes can be revoked with /revoke CODE.`,
      heldHeader: (n: number) => `Messages waiting because the recipient's platform is not running (${n}):`,
      heldLine: (person: string, agency: string | null, count: number, platforms: string) =>
        `• ${person}${agency ? ` (${agency})` : ""}: ${count} messages, waiting for ${platforms}`,
      failuresHeader: (n: number) => `Messages that could not be delivered (${n}):`,
      failureLine: (person: string, agency: string | null, what: string, due: string, outcome: string) =>
        `• ${person}${agency ? ` (${agency})` : ""}, ${what} at ${due}: ${outcome}`,
    },

    pause: {
      usage: "Usage: /pause (/tamdung) AGENCY dd/mm[/yyyy], e.g. /tamdung IV.2 10/12",
      badDate: "That date is invalid or already past. Write dd/mm or dd/mm/yyyy, e.g. 10/12.",
      paused: (agency: string, until: LocalDate) =>
        `Reminders for ${agency} are paused until the end of ${date(until)}.`,
      pastDeadline: (agency: string, until: LocalDate, deadline: LocalDate) =>
        `${date(until)} is past the report deadline (before ${date(deadline)}). If paused, ${agency} will get no reminders until the end of ${date(until)}, not even overdue ones while its report is missing. Pause anyway?`,
      confirm: "Pause",
      resumeUsage: "Usage: /resume (/tieptuc) AGENCY, e.g. /tieptuc IV.2",
      resumed: (agency: string) => `Reminders for ${agency} are back on.`,
      notPaused: (agency: string) => `Reminders for ${agency} are not paused.`,
      pausedByGroup: (agency: string, group: string, until: LocalDate) =>
        `Reminders for ${agency} are paused with its group ${group} until the end of ${date(until)}. To resume them, type /resume ${group}.`,
    },
  },
};
