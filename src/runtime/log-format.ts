/**
 * How events become text (pure). Two formats, per procfile-dotenv-cases.md:
 *   plain   `HH:MM:SS web.1  | text`, names padded to the longest, one color per type;
 *           hoku's own lines read `HH:MM:SS hoku   | web.1 State changed from starting to up`
 *   heroku  Logplex lines: `2026-11-21T10:00:00.000000+00:00 app[web.1]: text`, and
 *           `heroku[web.1]: State changed from starting to up` for lifecycle lines
 */
import { stripAnsi } from "./ansi.ts";
import type { AppEvent, OutputEvent } from "./events.ts";
import { type LineBatch, linesOf, lineText } from "./line-splitter.ts";

export type LogFormat = "plain" | "heroku";

export interface FormatOptions {
  readonly format: LogFormat;
  /** Colored prefixes, and dyno output kept with its ANSI sequences. */
  readonly color: boolean;
  /** Every name that can appear (dynos and `hoku`), for padding. */
  readonly names: readonly string[];
  /** Process type -> its position in the Procfile, for stable colors. */
  readonly typeIndex: ReadonlyMap<string, number>;
}

/** The runner's own name in plain output. */
export const RUNNER = "hoku";

const encoder = new TextEncoder();
const ESC = 0x1b;
const PALETTE = [36, 33, 32, 35, 34, 91, 96, 93, 92, 95, 94] as const;
export { stripAnsi } from "./ansi.ts";

/** SGR color code for a dyno's type, stable across runs. */
export function colorOf(dyno: string, typeIndex: ReadonlyMap<string, number>): number {
  const type = dyno.slice(0, dyno.lastIndexOf(".")) || dyno;
  return PALETTE[(typeIndex.get(type) ?? 0) % PALETTE.length]!;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** `HH:MM:SS` in local time, in the zone hoku's own `TZ` names (read by the runtime, as `Date` does). */
export function clockTime(at: Date): string {
  return `${pad2(at.getHours())}:${pad2(at.getMinutes())}:${pad2(at.getSeconds())}`;
}

/** Logplex timestamp with microseconds, in UTC: `2026-11-21T10:00:00.123000+00:00`. */
export function logplexTime(at: Date): string {
  return `${at.toISOString().slice(0, 23)}000+00:00`;
}

/** Where a formatter writes an event's lines. */
export interface LogWriter {
  /** Text, written as UTF-8. */
  text(text: string): void;
  /** Each line of `batch` after `head`, and a newline after each. */
  lines(head: Uint8Array, batch: LineBatch): void;
}

/** Writes one event's lines, each ending in "\n". */
export type Formatter = (event: AppEvent, out: LogWriter) => void;

/** Builds a formatter for the printer. Dyno output is copied as the bytes it came as. */
export function createFormatter(options: FormatOptions): Formatter {
  const width = Math.max(...options.names.map((n) => n.length), RUNNER.length);
  const prefixes = new Map<string, string>();
  const prefixOf = (name: string) => {
    let prefix = prefixes.get(name);
    if (prefix === undefined) {
      const padded = `${name.padEnd(width)} |`;
      prefix = !options.color ? padded : name === RUNNER ? `\x1b[2m${padded}\x1b[0m` : `\x1b[${colorOf(name, options.typeIndex)}m${padded}\x1b[0m`;
      prefixes.set(name, prefix);
    }
    return prefix;
  };
  /** Each line after `head`; without color, a line holding an ESC byte is decoded to drop its sequences. */
  const lines = (head: string, event: OutputEvent, out: LogWriter) => {
    const headBytes = encoder.encode(head);
    if (options.color || !event.data.includes(ESC)) return out.lines(headBytes, event);
    for (const line of linesOf(event)) {
      const body = line.includes(ESC) ? encoder.encode(stripAnsi(lineText(line))) : line;
      out.lines(headBytes, { data: body, spans: [0, body.length] });
    }
  };

  if (options.format === "heroku") {
    return (event, out) => {
      const ts = logplexTime(event.at);
      switch (event.kind) {
        case "output":
          return lines(`${ts} app[${event.dyno}]: `, event, out);
        case "state":
          return out.text(`${ts} heroku[${event.dyno}]: State changed from ${event.from} to ${event.to}\n`);
        case "status":
          return out.text(`${ts} heroku[${event.dyno}]: ${event.text}\n`);
      }
    };
  }
  return (event, out) => {
    const time = clockTime(event.at);
    switch (event.kind) {
      case "output":
        return lines(`${time} ${prefixOf(event.dyno)} `, event, out);
      case "state":
        return out.text(`${time} ${prefixOf(RUNNER)} ${event.dyno} State changed from ${event.from} to ${event.to}\n`);
      case "status": {
        const who = event.dyno === RUNNER ? "" : `${event.dyno} `;
        const text = options.color && event.error ? `\x1b[31m${event.text}\x1b[0m` : event.text;
        return out.text(`${time} ${prefixOf(RUNNER)} ${who}${text}\n`);
      }
    }
  };
}
