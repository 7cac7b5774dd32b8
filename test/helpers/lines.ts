/** Output events for tests: lines laid out as a PTY read holds them, CRLF after each. */
import type { AppEvent } from "../../src/runtime/events.ts";
import type { LineBatch } from "../../src/runtime/line-splitter.ts";

const utf8 = (text: string) => new TextEncoder().encode(text);

/** The lines in one buffer, each followed by `\r\n` (a stray byte first, so no span starts at 0). */
export function batchOf(lines: readonly (string | Uint8Array)[]): LineBatch {
  const parts = lines.map((line) => (typeof line === "string" ? utf8(line) : line));
  const data = new Uint8Array(1 + parts.reduce((sum, part) => sum + part.length + 2, 0));
  const spans: number[] = [];
  let at = 1;
  for (const part of parts) {
    data.set(part, at);
    spans.push(at, at + part.length);
    data.set([0x0d, 0x0a], at + part.length);
    at += part.length + 2;
  }
  return { data, spans };
}

/** An output event of `dyno` holding `lines`. */
export function outputOf(dyno: string, lines: readonly (string | Uint8Array)[], at = new Date(0)): AppEvent {
  return { kind: "output", dyno, ...batchOf(lines), at };
}
