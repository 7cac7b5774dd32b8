/**
 * The local UTC offset for the plain log prefix (`HH:MM:SS web.1 | ...`), asked of the
 * system's `date +%z` instead of JavaScriptCore.
 *
 * JavaScriptCore's first local-time call (`getHours`) sets up ICU's time zone and calendar:
 * about 6 ms and 4 MB, on the path from `hoku start` to the first dyno line. `date` follows
 * the same TZ / /etc/localtime rules (libc's, which also read POSIX TZ strings), and runs in
 * a child process alongside hoku's own start, in a pseudo-terminal like the dynos (a pipe is
 * read through a ReadableStream, whose JavaScript added ~0.7 MB to hoku's resident memory).
 * Every zone's offset, and every instant its offset changes at, is a whole number of quarter
 * hours since 1972, so an offset asked in one UTC quarter hour holds for all of it; a line in
 * a later one has it asked anew first.
 * If `date` cannot answer (missing, or silent for a second), JavaScriptCore's offset is used.
 */

const QUARTER_HOUR_MS = 15 * 60_000;
const ANSWER_WITHIN_MS = 1000;

/** `+0530` -> 19800000, `-0330` -> -12600000; undefined for anything else. */
export function parseUtcOffset(text: string): number | undefined {
  const match = /^([+-])(\d\d)(\d\d)$/.exec(text.trim());
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return (match[1] === "-" ? -1 : 1) * minutes * 60_000;
}

export class UtcOffset {
  #ms = 0;
  /** The UTC quarter hour the offset was asked in; -1 before the first answer. */
  #quarter = -1;
  #asking: Promise<void> | undefined;
  readonly #env: Record<string, string | undefined>;

  /** Starts asking at once; `env` decides the zone (TZ), hoku's own by default. */
  constructor(env: Record<string, string | undefined> = process.env, now = Date.now()) {
    this.#env = env;
    this.#ask(now);
  }

  /** Milliseconds to add to UTC for local wall-clock time, as last answered. */
  get ms(): number {
    return this.#ms;
  }

  /** Undefined if the offset is known for `now`'s quarter hour; else resolves once it is. */
  pending(now = Date.now()): Promise<void> | undefined {
    if (this.#quarter === Math.floor(now / QUARTER_HOUR_MS)) return undefined;
    return this.#asking ?? this.#ask(now);
  }

  #ask(now: number): Promise<void> {
    const quarter = Math.floor(now / QUARTER_HOUR_MS);
    const settle = (ms: number) => {
      this.#ms = ms;
      this.#quarter = quarter;
      this.#asking = undefined;
    };
    const fallback = () => -new Date(now).getTimezoneOffset() * 60_000;
    let answer = "";
    let date: Bun.Subprocess;
    try {
      date = Bun.spawn(["date", "+%z"], {
        env: { ...this.#env, LC_ALL: "C" },
        terminal: { cols: 80, rows: 1, data: (_terminal, chunk) => (answer += new TextDecoder().decode(chunk)) },
      });
    } catch {
      settle(fallback());
      return Promise.resolve();
    }
    // A `date` that does not answer within a second is stopped: its empty answer means the fallback.
    const timer = setTimeout(() => date.kill("SIGKILL"), ANSWER_WITHIN_MS);
    this.#asking = date.exited
      .then(() => settle(parseUtcOffset(answer) ?? fallback()), () => settle(fallback()))
      .finally(() => {
        clearTimeout(timer);
        date.terminal?.close();
      });
    return this.#asking;
  }
}
