/**
 * What the log pane shows (pure): the rows that end at the viewport's bottom line,
 * wrapped or cut to the pane's width, and search over the scrollback.
 *
 * Positions are absolute line numbers (`ring.dropped + i`), so a paused view stays
 * on the same lines while new ones arrive; `bottom: undefined` follows the tail.
 */
import wrapAnsi from "wrap-ansi";
import type { LogLine } from "./log-store.ts";
import type { RingBuffer } from "../runtime/ring-buffer.ts";
import { plainText } from "./sanitize.ts";

/** One screen row of the log pane. */
export interface Row {
  readonly line: LogLine;
  /** Absolute number of the line this row belongs to. */
  readonly index: number;
  /** The text shown on this row (a wrapped piece of the line when wrapping). */
  readonly text: string;
  /** First row of its line: the one that shows the dyno prefix. */
  readonly first: boolean;
}

export interface ViewRequest {
  /** Absolute number of the bottom line; undefined = follow. */
  readonly bottom?: number;
  readonly height: number;
  /** Columns for the text, after the prefix. */
  readonly width: number;
  readonly wrap: boolean;
}

/** Absolute number one past the newest line. */
export function endOf(ring: RingBuffer<LogLine>): number {
  return ring.dropped + ring.length;
}

/** Clamps a bottom position into the scrollback; undefined (follow) when at the end. */
export function clampBottom(ring: RingBuffer<LogLine>, bottom: number | undefined, height: number): number | undefined {
  if (bottom === undefined) return undefined;
  const end = endOf(ring);
  const clamped = Math.max(bottom, Math.min(end - 1, ring.dropped + height - 1));
  return clamped >= end - 1 ? undefined : clamped;
}

export function visibleRows(ring: RingBuffer<LogLine>, request: ViewRequest): Row[] {
  const last = (request.bottom ?? endOf(ring) - 1) - ring.dropped;
  const rows: Row[] = [];
  for (let i = last; i >= 0 && rows.length < request.height; i--) {
    const line = ring.at(i);
    if (!line) break;
    const index = ring.dropped + i;
    const pieces = request.wrap && line.text.length > request.width ? wrapAnsi(line.text, request.width, { hard: true, trim: false }).split("\n") : [line.text];
    for (let p = pieces.length - 1; p >= 0 && rows.length < request.height; p--) rows.push({ line, index, text: pieces[p]!, first: p === 0 });
  }
  return rows.reverse();
}

/** The nearest line containing `query` (case-insensitive) strictly before (`older`) or after `from`. */
export function findMatch(ring: RingBuffer<LogLine>, query: string, from: number, direction: "older" | "newer"): number | undefined {
  if (query === "") return undefined;
  const needle = query.toLowerCase();
  const step = direction === "older" ? -1 : 1;
  const start = direction === "older" ? Math.min(from - ring.dropped, ring.length) - 1 : Math.max(from - ring.dropped + 1, 0);
  for (let i = start; i >= 0 && i < ring.length; i += step) {
    if (plainText(ring.at(i)!.text).toLowerCase().includes(needle)) return ring.dropped + i;
  }
  return undefined;
}

/** Splits plain text around every (case-insensitive) occurrence of `query`, for highlighting. */
export function splitMatches(text: string, query: string): { text: string; match: boolean }[] {
  if (query === "") return [{ text, match: false }];
  const parts: { text: string; match: boolean }[] = [];
  const lower = text.toLowerCase();
  const needle = query.toLowerCase();
  let at = 0;
  for (let hit = lower.indexOf(needle); hit !== -1; hit = lower.indexOf(needle, at)) {
    if (hit > at) parts.push({ text: text.slice(at, hit), match: false });
    parts.push({ text: text.slice(hit, hit + needle.length), match: true });
    at = hit + needle.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), match: false });
  return parts;
}
