// Calendar arithmetic in Asia/Ho_Chi_Minh. Vietnam has had no DST since 1975, so a fixed +07:00
// offset is exact and keeps us independent of the host's TZ database and TZ variable.

export const TIME_ZONE = "Asia/Ho_Chi_Minh";
export const UTC_OFFSET = "+07:00";
const OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A local calendar date, always written YYYY-MM-DD. */
export type LocalDate = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** Fields of an instant as seen on a wall clock in Vietnam. */
function shifted(instant: Date): Date {
  return new Date(instant.getTime() + OFFSET_MS);
}

export function isLocalDate(value: string): boolean {
  const m = LOCAL_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

export function localDate(instant: Date): LocalDate {
  const s = shifted(instant);
  return `${s.getUTCFullYear()}-${pad(s.getUTCMonth() + 1)}-${pad(s.getUTCDate())}`;
}

/** Minutes since local midnight. */
export function localMinutes(instant: Date): number {
  const s = shifted(instant);
  return s.getUTCHours() * 60 + s.getUTCMinutes();
}

function dateParts(date: LocalDate): [number, number, number] {
  const m = LOCAL_DATE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** The instant at which the wall clock in Vietnam shows `date` `hh:mm`. */
export function localDateTime(date: LocalDate, time = "00:00"): Date {
  const [y, mo, d] = dateParts(date);
  const [hh, mm] = time.split(":").map(Number);
  return new Date(Date.UTC(y, mo - 1, d, hh ?? 0, mm ?? 0) - OFFSET_MS);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const [y, mo, d] = dateParts(date);
  const t = new Date(Date.UTC(y, mo - 1, d) + days * DAY_MS);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** Calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  const [y1, m1, d1] = dateParts(from);
  const [y2, m2, d2] = dateParts(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / DAY_MS);
}

/** 0 = Sunday ... 6 = Saturday. */
export function dayOfWeek(date: LocalDate): number {
  const [y, mo, d] = dateParts(date);
  return new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
}

/** ISO 8601 with the +07:00 offset, e.g. 2026-12-14T08:00:00+07:00. */
export function toIsoLocal(instant: Date): string {
  const s = shifted(instant);
  return (
    `${s.getUTCFullYear()}-${pad(s.getUTCMonth() + 1)}-${pad(s.getUTCDate())}` +
    `T${pad(s.getUTCHours())}:${pad(s.getUTCMinutes())}:${pad(s.getUTCSeconds())}${UTC_OFFSET}`
  );
}

const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses an ISO 8601 date or date-time; without an offset it is local time in Vietnam. */
export function parseIsoInstant(value: string): Date | null {
  const m = ISO_INSTANT.exec(value.trim());
  if (!m || !isLocalDate(m[1]!)) return null;
  const [, date, hh = "00", mm = "00", ss = "00", zone] = m;
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return null;
  if (!zone) return new Date(localDateTime(date!, `${hh}:${mm}`).getTime() + Number(ss) * 1000);
  const parsed = new Date(
    `${date}T${hh}:${mm}:${ss}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`,
  );
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** 15/12/2026 */
export function formatDateVi(date: LocalDate): string {
  const [y, mo, d] = dateParts(date);
  return `${pad(d)}/${pad(mo)}/${y}`;
}

/** 15/12/2026 08:00 */
export function formatDateTimeVi(instant: Date): string {
  const s = shifted(instant);
  return `${formatDateVi(localDate(instant))} ${pad(s.getUTCHours())}:${pad(s.getUTCMinutes())}`;
}

/** Reads dd/mm or dd/mm/yyyy (also with - or .), the year defaulting to `defaultYear`. */
export function parseDayMonth(value: string, defaultYear: number): LocalDate | null {
  const m = /^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?$/.exec(value.trim());
  if (!m) return null;
  const date = `${m[3] ?? defaultYear}-${pad(Number(m[2]))}-${pad(Number(m[1]))}`;
  return isLocalDate(date) ? date : null;
}
