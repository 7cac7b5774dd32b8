/**
 * POSIX TZ rule strings (pure): `TZ=EST5EDT,M3.2.0,M11.1.0`, and the footer of a TZif file,
 * which gives the rule for times after its last transition (RFC 8536 section 3.3).
 *
 *   std offset [dst [offset] [,start[/time],end[/time]]]
 *
 * Names are 3+ letters, or 3+ letters, digits, `+` and `-` quoted in `<...>` (`<+0530>`). An offset is `[+-]hh[:mm[:ss]]` west of
 * UTC (so `EST5` is UTC-5); DST's defaults to one hour ahead of standard time. A date is
 * `Jn` (1-365, February 29 never counted), `n` (0-365, counted) or `Mm.w.d` (day d, 0 =
 * Sunday, of week w, 5 = the last, of month m); a time is `[+-]h[:mm[:ss]]` of local time
 * (-167..167 hours, RFC 8536's extension), 02:00:00 by default.
 * A rule with DST but no dates (`EST5EDT`) is left to libc, whose defaults vary: it parses
 * as undefined, like anything malformed.
 */

/** A day of the year a change of offset happens on, and the local time of day it happens at. */
type RuleDate =
  | { readonly kind: "julian"; readonly day: number; readonly seconds: number }
  | { readonly kind: "zero-based"; readonly day: number; readonly seconds: number }
  | { readonly kind: "month"; readonly month: number; readonly week: number; readonly weekday: number; readonly seconds: number };

export interface TzRule {
  /** Seconds to add to UTC for standard time. */
  readonly standard: number;
  /** Daylight saving time, if the zone has it. */
  readonly dst?: { readonly offset: number; readonly start: RuleDate; readonly end: RuleDate };
}

/** Parses a POSIX TZ rule; undefined if malformed or not fully specified. */
export function parseTzRule(text: string): TzRule | undefined {
  let at = 0;
  const name = (): boolean => {
    if (text[at] === "<") {
      const close = text.indexOf(">", at);
      if (close < at + 4 || !/^[A-Za-z0-9+-]+$/.test(text.slice(at + 1, close))) return false;
      at = close + 1;
      return true;
    }
    const start = at;
    while (at < text.length && /[A-Za-z]/.test(text[at]!)) at++;
    return at - start >= 3;
  };
  /** `[+-]hh[:mm[:ss]]` in seconds, hours up to `maxHours`; undefined if absent or malformed. */
  const clock = (maxHours: number): number | undefined => {
    const match = /^([+-]?)(\d{1,3})(?::(\d\d))?(?::(\d\d))?/.exec(text.slice(at));
    if (!match) return undefined;
    const [hours, minutes, seconds] = [Number(match[2]), Number(match[3] ?? 0), Number(match[4] ?? 0)];
    if (hours > maxHours || minutes > 59 || seconds > 59) return undefined;
    at += match[0].length;
    const value = hours * 3600 + minutes * 60 + seconds;
    return match[1] === "-" ? 0 - value : value;
  };
  const date = (): RuleDate | undefined => {
    let match: RegExpExecArray | null;
    let result: RuleDate | undefined;
    const rest = text.slice(at);
    if ((match = /^M(\d{1,2})\.(\d)\.(\d)/.exec(rest))) {
      const [month, week, weekday] = [Number(match[1]), Number(match[2]), Number(match[3])];
      if (month < 1 || month > 12 || week < 1 || week > 5 || weekday > 6) return undefined;
      result = { kind: "month", month, week, weekday, seconds: 7200 };
    } else if ((match = /^J(\d{1,3})/.exec(rest))) {
      const day = Number(match[1]);
      if (day < 1 || day > 365) return undefined;
      result = { kind: "julian", day, seconds: 7200 };
    } else if ((match = /^(\d{1,3})/.exec(rest))) {
      const day = Number(match[1]);
      if (day > 365) return undefined;
      result = { kind: "zero-based", day, seconds: 7200 };
    } else return undefined;
    at += match[0].length;
    if (text[at] !== "/") return result;
    at++;
    const seconds = clock(167);
    return seconds === undefined ? undefined : { ...result, seconds };
  };

  if (!name()) return undefined;
  const west = clock(24);
  if (west === undefined) return undefined;
  const standard = 0 - west; // 0 - 0 is +0, unlike -0
  if (at === text.length) return { standard };
  if (!name()) return undefined;
  let offset = standard + 3600;
  if (text[at] !== "," && at < text.length) {
    const dstWest = clock(24);
    if (dstWest === undefined) return undefined;
    offset = 0 - dstWest;
  }
  if (text[at] !== ",") return undefined;
  at++;
  const start = date();
  if (!start || text[at] !== ",") return undefined;
  at++;
  const end = date();
  if (!end || at !== text.length) return undefined;
  return { standard, dst: { offset, start, end } };
}

const DAY = 86_400;
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Seconds from 1970 (UTC) to the start of the rule date's day in `year`, as if local were UTC. */
function dayStart(date: RuleDate, year: number): number {
  const jan1 = Date.UTC(year, 0, 1) / 1000;
  switch (date.kind) {
    case "julian":
      return jan1 + (date.day - 1 + (isLeap(year) && date.day >= 60 ? 1 : 0)) * DAY;
    case "zero-based":
      return jan1 + date.day * DAY;
    case "month": {
      const first = Date.UTC(year, date.month - 1, 1) / 1000;
      const firstWeekday = new Date(first * 1000).getUTCDay();
      let day = 1 + ((date.weekday - firstWeekday + 7) % 7) + (date.week - 1) * 7;
      const length = new Date(Date.UTC(year, date.month, 0)).getUTCDate();
      while (day > length) day -= 7;
      return first + (day - 1) * DAY;
    }
  }
}

/** Seconds to add to UTC for local time at `seconds` (since 1970, UTC) under `rule`. */
export function ruleOffsetAt(rule: TzRule, seconds: number): number {
  const { dst } = rule;
  if (!dst) return rule.standard;
  // The rule's dates are taken in the instant's UTC year, as glibc takes them; the local year
  // differs only in the hours around New Year.
  const year = new Date(seconds * 1000).getUTCFullYear();
  // The change to DST happens at a local standard time, the change back at a local DST time.
  const start = dayStart(dst.start, year) + dst.start.seconds - rule.standard;
  const end = dayStart(dst.end, year) + dst.end.seconds - dst.offset;
  const inDst = start <= end ? seconds >= start && seconds < end : seconds >= start || seconds < end;
  return inDst ? dst.offset : rule.standard;
}
