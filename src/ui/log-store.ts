/**
 * The TUI's scrollback: every log bus event becomes one or more LogLines, kept in a
 * ring per dyno (the selected-dyno view) and in one ring for all dynos (the merged
 * view, capacity = per-dyno capacity x dynos). Memory is bounded by the rings.
 */
import { RUNNER } from "../runtime/log-format.ts";
import type { AppEvent } from "../runtime/events.ts";
import { lineText } from "../runtime/line-splitter.ts";
import { RingBuffer } from "../runtime/ring-buffer.ts";
import { sanitizeLine } from "./sanitize.ts";

/** One line in the log pane. */
export interface LogLine {
  /** Which dyno it is about (`web.1`), or `hoku`. */
  readonly dyno: string;
  /** Sanitized text: SGR colors only. */
  readonly text: string;
  readonly at: Date;
  /** `app` for dyno output, `heroku` for lifecycle lines, as in Logplex. */
  readonly source: "app" | "heroku";
  /** A lifecycle line reporting a fault. */
  readonly error?: boolean;
}

/**
 * Dyno output, decoded and sanitized only when first shown or searched: a flood is stored, not
 * processed. Until then the line is its place in the PTY read it came in (which it keeps alive).
 */
class OutputLine implements LogLine {
  readonly source = "app";
  #text: string | undefined;
  #read: Uint8Array | undefined;
  readonly #start: number;
  readonly #end: number;
  constructor(
    readonly dyno: string,
    read: Uint8Array,
    start: number,
    end: number,
    readonly at: Date,
  ) {
    this.#read = read;
    this.#start = start;
    this.#end = end;
  }
  get text(): string {
    if (this.#text === undefined) {
      this.#text = sanitizeLine(lineText(this.#read!.subarray(this.#start, this.#end)));
      this.#read = undefined;
    }
    return this.#text;
  }
}

export class LogStore {
  readonly #perDyno: number;
  readonly #byDyno = new Map<string, RingBuffer<LogLine>>();
  #all: RingBuffer<LogLine>;
  /** Bumped on every change; the UI re-renders when it moved. */
  version = 0;
  /** Lines ever received, for the "lost from scrollback" check. */
  received = 0;
  /** When the last dyno output arrived (epoch ms), for the benchmark. */
  lastOutputAt = 0;

  constructor(perDyno: number, dynos: number) {
    this.#perDyno = perDyno;
    this.#all = new RingBuffer(perDyno * Math.max(1, dynos));
  }

  /** The lines of one dyno, or of all when `dyno` is undefined. */
  view(dyno?: string): RingBuffer<LogLine> {
    if (dyno === undefined) return this.#all;
    return this.#ring(dyno);
  }

  add(event: AppEvent): void {
    switch (event.kind) {
      case "output":
        this.lastOutputAt = Date.now();
        for (let i = 0; i < event.spans.length; i += 2) this.#push(new OutputLine(event.dyno, event.data, event.spans[i]!, event.spans[i + 1]!, event.at));
        break;
      case "state":
        this.#push({ dyno: event.dyno, text: `State changed from ${event.from} to ${event.to}`, at: event.at, source: "heroku" });
        break;
      case "status":
        this.#push({ dyno: event.dyno, text: event.text, at: event.at, source: "heroku", error: event.error });
        break;
    }
  }

  clear(): void {
    this.#all.clear();
    for (const ring of this.#byDyno.values()) ring.clear();
    this.version++;
  }

  #ring(dyno: string): RingBuffer<LogLine> {
    let ring = this.#byDyno.get(dyno);
    if (!ring) {
      ring = new RingBuffer(this.#perDyno);
      this.#byDyno.set(dyno, ring);
    }
    return ring;
  }

  #push(line: LogLine): void {
    this.received++;
    this.#all.push(line);
    if (line.dyno !== RUNNER) this.#ring(line.dyno).push(line);
    this.version++;
  }
}
