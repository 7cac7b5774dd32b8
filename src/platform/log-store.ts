/**
 * Logs as Logplex keeps them (LG-1..LG-4): per app (by id), the last 1500 lines, each with its time,
 * source (`app` for dyno output and app[api] events, `heroku` for the platform: dyno lifecycle,
 * router) and dyno (`web.1`, `router`, `api`). `hoku logs` reads them; `--tail` follows, across
 * releases. Each line gets a sequence number, so a reader that reconnects resumes where it left.
 */
import { RingBuffer } from "../runtime/ring-buffer.ts";

/** Heroku's buffer: the last 1500 lines of an app. */
export const LOG_LINES = 1500;

export interface LogLine {
  readonly seq: number;
  readonly at: Date;
  readonly source: "app" | "heroku";
  readonly dyno: string;
  readonly text: string;
}

/** `2026-12-01T10:00:00.000000+00:00 app[web.1]: text` (LG-1; Heroku writes microseconds). */
export function formatLogLine(line: LogLine): string {
  return `${line.at.toISOString().replace(/(\.\d{3})Z$/, "$1000+00:00")} ${line.source}[${line.dyno}]: ${line.text}`;
}

/** Which lines a reader wants (`-s`, `-d`, `-p`). */
export interface LogFilter {
  readonly source?: string;
  /** A whole dyno name (`web.1`) or a process type (`web`). */
  readonly dyno?: string;
}

export function matches(line: LogLine, filter: LogFilter): boolean {
  if (filter.source && line.source !== filter.source) return false;
  if (filter.dyno && line.dyno !== filter.dyno && !line.dyno.startsWith(`${filter.dyno}.`)) return false;
  return true;
}

export class LogStore {
  readonly #apps = new Map<string, RingBuffer<LogLine>>();
  readonly #followers = new Map<string, Set<(line: LogLine) => void>>();
  readonly #everything = new Set<(app: string, line: LogLine) => void>();
  #seq = 0;

  append(app: string, line: Omit<LogLine, "seq" | "at"> & { at?: Date }): void {
    const stored: LogLine = { ...line, at: line.at ?? new Date(), seq: ++this.#seq };
    let ring = this.#apps.get(app);
    if (!ring) this.#apps.set(app, (ring = new RingBuffer<LogLine>(LOG_LINES)));
    ring.push(stored);
    for (const follow of this.#followers.get(app) ?? []) follow(stored);
    for (const follow of this.#everything) follow(app, stored);
  }

  /** Calls `follow` with every new line of every app (`hoku platform` in the foreground prints them). */
  followAll(follow: (app: string, line: LogLine) => void): () => void {
    this.#everything.add(follow);
    return () => this.#everything.delete(follow);
  }

  /** The last `count` lines that match, oldest first; `after` keeps only lines after that sequence number. */
  recent(app: string, count: number, filter: LogFilter = {}, after = 0): LogLine[] {
    const lines = (this.#apps.get(app)?.toArray() ?? []).filter((l) => l.seq > after && matches(l, filter));
    return lines.slice(Math.max(0, lines.length - count));
  }

  /** Calls `follow` with every new line of the app; the returned function stops it. */
  follow(app: string, follow: (line: LogLine) => void): () => void {
    let set = this.#followers.get(app);
    if (!set) this.#followers.set(app, (set = new Set()));
    set.add(follow);
    return () => set.delete(follow);
  }

  /** Forgets an app (apps:destroy). */
  drop(app: string): void {
    this.#apps.delete(app);
    this.#followers.delete(app);
  }
}
