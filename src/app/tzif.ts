/**
 * TZif time zone files (pure; RFC 8536): /etc/localtime and /usr/share/zoneinfo/*, the files
 * libc reads for local time. A zone is its transitions (when the offset changes, and to
 * what) and a POSIX TZ rule for the times after the last one (the footer, version 2+).
 * Files with leap seconds ("right/" zones) are not handled: they parse as undefined.
 */
import { parseTzRule, ruleOffsetAt, type TzRule } from "./posix-tz.ts";

export interface Zone {
  /** Seconds since 1970 (UTC) at which the offset changes, ascending. */
  readonly transitions: readonly number[];
  /** The offset (seconds to add to UTC) from each transition on. */
  readonly offsets: readonly number[];
  /** The offset before the first transition, and always if there is none: the first standard-time type's (glibc). */
  readonly initial: number;
  /** The rule after the last transition, if the file has one (glibc ignores it if there is no transition). */
  readonly rule?: TzRule;
}

const HEADER = 44;

/** Parses a TZif file; undefined if it is not one, or has leap seconds. */
export function parseTzif(bytes: Uint8Array): Zone | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = (at: number) => {
    if (at + HEADER > bytes.length || String.fromCharCode(...bytes.subarray(at, at + 4)) !== "TZif") return undefined;
    const count = (i: number) => view.getUint32(at + 20 + 4 * i);
    return { version: bytes[at + 4]!, isutcnt: count(0), isstdcnt: count(1), leapcnt: count(2), timecnt: count(3), typecnt: count(4), charcnt: count(5) };
  };
  const first = header(0);
  if (!first) return undefined;
  const size = (h: NonNullable<typeof first>, timeSize: number) =>
    h.timecnt * timeSize + h.timecnt + h.typecnt * 6 + h.charcnt + h.leapcnt * (timeSize + 4) + h.isstdcnt + h.isutcnt;
  // Version 2+ repeats the data with 64-bit times after the version 1 block, then the footer.
  let h = first;
  let at = HEADER;
  let timeSize = 4;
  if (first.version >= 0x32) {
    const secondAt = HEADER + size(first, 4);
    const second = header(secondAt);
    if (!second) return undefined;
    h = second;
    at = secondAt + HEADER;
    timeSize = 8;
  }
  if (h.leapcnt > 0 || h.typecnt === 0 || at + size(h, timeSize) > bytes.length) return undefined;
  const transitions: number[] = [];
  for (let i = 0; i < h.timecnt; i++) transitions.push(timeSize === 8 ? Number(view.getBigInt64(at + 8 * i)) : view.getInt32(at + 4 * i));
  const typesAt = at + h.timecnt * timeSize;
  const infoAt = typesAt + h.timecnt;
  const offsetOfType = (type: number) => view.getInt32(infoAt + 6 * type);
  const isDst = (type: number) => bytes[infoAt + 6 * type + 4] !== 0;
  const offsets: number[] = [];
  for (let i = 0; i < h.timecnt; i++) {
    const type = bytes[typesAt + i]!;
    if (type >= h.typecnt) return undefined;
    offsets.push(offsetOfType(type));
  }
  let rule: TzRule | undefined;
  if (timeSize === 8) {
    const footerAt = at + size(h, 8);
    const footer = new TextDecoder().decode(bytes.subarray(footerAt));
    const match = /^\n([^\n]*)\n/.exec(footer);
    if (!match) return undefined;
    if (match[1]) {
      rule = parseTzRule(match[1]);
      if (!rule) return undefined;
    }
  }
  let standard = 0;
  while (standard < h.typecnt && isDst(standard)) standard++;
  return { transitions, offsets, initial: offsetOfType(standard === h.typecnt ? 0 : standard), rule };
}

/** Seconds to add to UTC for local time in `zone` at `seconds` since 1970 (UTC). */
export function zoneOffsetAt(zone: Zone, seconds: number): number {
  const { transitions, offsets, rule } = zone;
  if (transitions.length === 0 || seconds < transitions[0]!) return zone.initial;
  if (seconds >= transitions[transitions.length - 1]! && rule) return ruleOffsetAt(rule, seconds);
  let low = 0;
  let high = transitions.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (transitions[middle]! <= seconds) low = middle;
    else high = middle - 1;
  }
  return offsets[low]!;
}
