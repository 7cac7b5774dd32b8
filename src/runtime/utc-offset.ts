/**
 * The local UTC offset for the plain log prefix (`HH:MM:SS web.1 | ...`), found by hoku
 * itself in the zone's TZif file or TZ rule where it can be, else asked of the system's
 * `date +%z`, and of JavaScriptCore only if `date` fails.
 *
 * JavaScriptCore's first local-time call (`getHours`) sets up ICU's time zone and calendar:
 * about 6 ms and 4 MB, on the path from `hoku start` to the first dyno line.
 * hoku follows glibc's rules for TZ: unset means /etc/localtime, empty means UTC, and
 * otherwise, after a leading colon is dropped, a file (an absolute path, or a name under
 * $TZDIR, /usr/share/zoneinfo by default) or else a POSIX rule such as `EST5EDT,M3.2.0,M11.1.0`.
 * What hoku cannot read that way (a rule libc completes with its own defaults, a file with
 * leap seconds) is asked of `date`, in a child process alongside hoku's own start and in a
 * pseudo-terminal like the dynos (a pipe is read through a ReadableStream, whose JavaScript
 * added ~0.7 MB to hoku's resident memory). Spawning `date` was ~1 ms of every start.
 * Read from the zone, the offset is found for each batch of lines. Asked of `date`, it is kept
 * for the UTC quarter hour it was asked in, and asked anew for a line in a later one: nearly
 * every change of offset since 1972 falls on a quarter hour (a few do not, such as
 * Antarctica/Casey's in 2020-2022, at one minute past: there a line may show the old offset
 * for up to 14 minutes).
 * If `date` cannot answer (missing, or silent for a second), JavaScriptCore's offset is used.
 */
import { readFileSync, statSync } from "node:fs";
import { parseTzRule, ruleOffsetAt } from "../app/posix-tz.ts";
import { parseTzif, zoneOffsetAt } from "../app/tzif.ts";

/** A file's bytes, or undefined if it cannot be read. */
export type ReadFile = (path: string) => Uint8Array | undefined;

/** Zone files are a few KiB; a TZ naming a device or a huge file is not read (it is left to `date`). */
const MAX_ZONE_FILE_BYTES = 1 << 20;

const readIfThere: ReadFile = (path) => {
  try {
    const stat = statSync(path);
    return stat.isFile() && stat.size <= MAX_ZONE_FILE_BYTES ? readFileSync(path) : undefined;
  } catch {
    return undefined;
  }
};

/** The offset at a time (seconds since 1970) under the zone TZ names, if hoku can tell it without libc. */
export function zoneOfEnv(env: Record<string, string | undefined>, read: ReadFile = readIfThere): ((seconds: number) => number) | undefined {
  const tz = env.TZ;
  if (tz === "") return () => 0;
  const name = tz === undefined ? "/etc/localtime" : tz.startsWith(":") ? tz.slice(1) : tz;
  const bytes = name ? read(name.startsWith("/") ? name : `${env.TZDIR || "/usr/share/zoneinfo"}/${name}`) : undefined;
  if (bytes) {
    const zone = parseTzif(bytes);
    return zone && ((seconds) => zoneOffsetAt(zone, seconds));
  }
  if (tz === undefined) return () => 0; // no /etc/localtime: glibc uses UTC
  const rule = parseTzRule(name);
  return rule && ((seconds) => ruleOffsetAt(rule, seconds));
}

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
  /** The zone's offsets, when hoku can read them itself; else `date` is asked. */
  readonly #zone: ((seconds: number) => number) | undefined;

  /** Finds the offset, or starts asking for it, at once; `env` decides the zone (TZ), hoku's own by default. */
  constructor(env: Record<string, string | undefined> = process.env, now = Date.now(), read?: ReadFile) {
    this.#env = env;
    this.#zone = zoneOfEnv(env, read);
    void this.pending(now);
  }

  /** Whether the offset comes from `date` (the zone is one hoku does not read itself). */
  get asksDate(): boolean {
    return this.#zone === undefined;
  }

  /** Milliseconds to add to UTC for local wall-clock time, as last answered. */
  get ms(): number {
    return this.#ms;
  }

  /**
   * Undefined if the offset is known for `now`: found in the zone at once, or asked of `date`
   * in `now`'s quarter hour; else resolves once it is.
   */
  pending(now = Date.now()): Promise<void> | undefined {
    if (this.#zone) {
      this.#ms = this.#zone(Math.floor(now / 1000)) * 1000;
      return undefined;
    }
    if (this.#quarter === Math.floor(now / QUARTER_HOUR_MS)) return undefined;
    return this.#asking ?? this.#ask(now);
  }

  /** Asks `date` for the offset, for `now`'s quarter hour. */
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
