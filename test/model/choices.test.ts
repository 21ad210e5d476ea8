import { describe, expect, it } from "vitest";
import { choiceOf, decodeChoice, encodeChoice, type ChoiceValue } from "../../src/model/choices.ts";
import { DUTY_STATUSES } from "../../src/model/duty-status.ts";

// One test per kind of choice: what the core encodes comes back as it was, in the very strings
// buttons already sent carry; anything else (stale, cut short, forged) is refused as null.

const roundTrip = (choice: ChoiceValue) => decodeChoice(encodeChoice(choice));

describe("the choice codec", () => {
  it("start: the two buttons under a reminder", () => {
    expect(encodeChoice({ kind: "start", what: "report" })).toBe("start:report");
    expect(encodeChoice({ kind: "start", what: "submit" })).toBe("start:submit");
    for (const what of ["report", "submit"] as const)
      expect(roundTrip({ kind: "start", what })).toEqual({ kind: "start", what });
    for (const bad of ["start", "start:", "start:export", "start:report:x", "Start:report", " start:report"])
      expect(decodeChoice(bad), bad).toBeNull();
  });

  it("report_duty: a duty picked in the guided report, its code kept exactly", () => {
    expect(encodeChoice({ kind: "report_duty", duty: "IV.4.b" })).toBe("report:duty:IV.4.b");
    for (const duty of ["IV.4.b", "IV.9-25195.a", "II.1"])
      expect(roundTrip({ kind: "report_duty", duty })).toEqual({ kind: "report_duty", duty });
    for (const bad of [
      "report:duty",
      "report:duty:",
      "report:duty:IV 4",
      `report:duty:${"x".repeat(101)}`,
      "report:dut:IV.4.b",
    ])
      expect(decodeChoice(bad), bad).toBeNull();
  });

  it("report_status: each of the four statuses, and nothing else", () => {
    for (const status of DUTY_STATUSES) {
      expect(encodeChoice({ kind: "report_status", status })).toBe(`report:status:${status}`);
      expect(roundTrip({ kind: "report_status", status })).toEqual({ kind: "report_status", status });
    }
    for (const bad of ["report:status:finished", "report:status:", "report:status:done:1", "report:status:DONE"])
      expect(decodeChoice(bad), bad).toBeNull();
  });

  it("report_skip_note: the note skipped", () => {
    expect(encodeChoice({ kind: "report_skip_note" })).toBe("report:note:skip");
    expect(roundTrip({ kind: "report_skip_note" })).toEqual({ kind: "report_skip_note" });
    for (const bad of ["report:note", "report:note:", "report:note:skip:1", "report:note:keep"])
      expect(decodeChoice(bad), bad).toBeNull();
  });

  it("plan: the plan a report line or a guided command is about, by its code", () => {
    expect(encodeChoice({ kind: "plan", plan: "BHYT26" })).toBe("plan:BHYT26");
    for (const plan of ["BHYT26", "BHXH27-2", "KH3"])
      expect(roundTrip({ kind: "plan", plan })).toEqual({ kind: "plan", plan });
    for (const bad of ["plan", "plan:", "plan:bhyt26", "plan:BH YT", "plan:BHYT26:x", "plans:BHYT26", "plan:-X"])
      expect(decodeChoice(bad), bad).toBeNull();
  });

  it("overdue_page: a page of a plan's /quahan", () => {
    expect(encodeChoice({ kind: "overdue_page", plan: "BHXH26", page: 2 })).toBe("overdue:BHXH26:2");
    expect(roundTrip({ kind: "overdue_page", plan: "BHYT26", page: 12 })).toEqual({
      kind: "overdue_page",
      plan: "BHYT26",
      page: 12,
    });
    for (const bad of [
      "overdue:BHXH26",
      "overdue:BHXH26:0",
      "overdue:BHXH26:02",
      "overdue:bhxh26:1",
      "overdue:BHXH26:1:2",
    ])
      expect(decodeChoice(bad), bad).toBeNull();
  });

  it("members: a page of a group's members that have not submitted", () => {
    expect(encodeChoice({ kind: "members", plan: "BHXH26", group: "IV.9", page: 3 })).toBe("members:BHXH26:IV.9:3");
    expect(roundTrip({ kind: "members", plan: "BHXH26", group: "IV.9", page: 1 })).toEqual({
      kind: "members",
      plan: "BHXH26",
      group: "IV.9",
      page: 1,
    });
    for (const bad of ["members:BHXH26:IV.9", "members:BHXH26:IV 9:1", "members:BHXH26::1", "members:BHXH26:IV.9:x"])
      expect(decodeChoice(bad), bad).toBeNull();
  });

  it("nudge: every contact of an agency, or of a group's members, that has not submitted", () => {
    expect(encodeChoice({ kind: "nudge", plan: "BHXH26", agency: "IV.9" })).toBe("nudge:BHXH26:IV.9");
    expect(roundTrip({ kind: "nudge", plan: "BHXH26", agency: "IV.9-25195" })).toEqual({
      kind: "nudge",
      plan: "BHXH26",
      agency: "IV.9-25195",
    });
    for (const bad of ["nudge:BHXH26", "nudge:BHXH26:", "nudge:BHXH26:IV.9:1", "nudge::IV.9", "nudge:BHXH26:IV 9"])
      expect(decodeChoice(bad), bad).toBeNull();
  });

  it("overview_page: a page of one plan's /tongquan", () => {
    expect(encodeChoice({ kind: "overview_page", plan: "BHXH26", page: 2 })).toBe("overview:BHXH26:2");
    expect(roundTrip({ kind: "overview_page", plan: "KT30", page: 3 })).toEqual({
      kind: "overview_page",
      plan: "KT30",
      page: 3,
    });
    for (const bad of ["overview:BHXH26", "overview:BHXH26:0", "overview::1", "overview:BHXH26:1:2"])
      expect(decodeChoice(bad), bad).toBeNull();
  });

  it("plans_page: a page of a view over every plan followed", () => {
    expect(encodeChoice({ kind: "plans_page", view: "quahan", page: 3 })).toBe("plans:quahan:3");
    for (const view of ["quahan", "tongquan", "kehoach"] as const)
      expect(roundTrip({ kind: "plans_page", view, page: 12 })).toEqual({ kind: "plans_page", view, page: 12 });
    for (const bad of ["plans:quahan", "plans:quahan:0", "plans:nhac:1", "plans:quahan:1:2", "plans::1"])
      expect(decodeChoice(bad), bad).toBeNull();
  });

  it("confirm: the answers to a submission's preview, /nhac all and a pause past the deadline", () => {
    for (const flow of ["submit", "remind_all", "pause"] as const) {
      for (const answer of ["confirm", "cancel"] as const) {
        expect(encodeChoice({ kind: "confirm", flow, answer })).toBe(`${flow}:${answer}`);
        expect(roundTrip({ kind: "confirm", flow, answer })).toEqual({ kind: "confirm", flow, answer });
      }
    }
    for (const bad of [
      "submit",
      "submit:",
      "submit:ok",
      "submit:confirm:1",
      "report:confirm",
      "remind:confirm",
      "pause:yes",
    ])
      expect(decodeChoice(bad), bad).toBeNull();
  });

  it("refuses what is no choice of the bot's at all, and reads one kind only when asked for it", () => {
    for (const bad of ["", ":", "::", "hello", "1", "choicekey:0"]) expect(decodeChoice(bad), bad).toBeNull();
    expect(choiceOf("start:report", "start")).toEqual({ kind: "start", what: "report" });
    expect(choiceOf("start:report", "confirm")).toBeNull();
    expect(choiceOf(undefined, "start")).toBeNull();
  });
});
