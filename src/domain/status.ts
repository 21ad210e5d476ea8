import { foldVietnamese } from "./text.ts";

import type { DutyStatus } from "../model/duty-status.ts";

export {
  DUTY_STATES,
  DUTY_STATUSES,
  dutyState,
  isDutyStatus,
  type DutyState,
  type DutyStatus,
} from "../model/duty-status.ts";

// Keys are folded, so each entry also covers its accented, upper-case and extra-space spellings.
const STATUS_WORDS: ReadonlyMap<string, DutyStatus> = new Map(
  (
    [
      [
        "done",
        [
          "xong",
          "xong roi",
          "da xong",
          "hoan thanh",
          "da hoan thanh",
          "ht",
          "done",
          "hoan tat",
          "da hoan tat",
          "completed",
        ],
      ],
      [
        "in_progress",
        [
          "dang thuc hien",
          "dang lam",
          "dang",
          "dang trien khai",
          "dang tien hanh",
          "in progress",
          "in_progress",
          "dth",
        ],
      ],
      ["blocked", ["vuong mac", "vuong", "blocked", "kho khan", "gap kho khan", "co vuong mac", "dang vuong mac"]],
      ["not_started", ["chua thuc hien", "chua", "chua lam", "chua trien khai", "not started", "not_started", "cth"]],
    ] as const
  ).flatMap(([status, words]) => words.map((w) => [w, status] as const)),
);

export function parseStatusWords(words: string): DutyStatus | null {
  // Tolerate sentence punctuation around the words ("xong.", "xong!").
  const key = foldVietnamese(words).replace(/^[\s.,;!?]+|[\s.,;!?]+$/g, "");
  return STATUS_WORDS.get(key) ?? null;
}
