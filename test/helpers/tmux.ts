/**
 * A real terminal for end-to-end TUI tests: a detached tmux session on its own
 * server socket (`tmux -L hoku-test-<pid>-<n>`, never the user's tmux server, and
 * no user tmux.conf), running one shell command at a given size, cwd and env.
 *
 * Keys go in with send-keys, the screen comes out with capture-pane. Call
 * killTmuxSessions() in afterEach: it kills every session's server and whatever
 * the pane still ran, even when a test failed half way.
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";

export interface TmuxOptions {
  /** A shell command (run by `sh -c`). */
  readonly command: string;
  readonly cwd: string;
  /** The whole environment of the command (TMUX is dropped; TERM is tmux's own). */
  readonly env?: Record<string, string>;
  readonly cols?: number;
  readonly rows?: number;
}

export interface CaptureOptions {
  /** Keep the SGR escapes (colors, inverse...) as tmux renders them (`capture-pane -e`). */
  readonly colors?: boolean;
  /** Include the pane's scrollback (`-S -`), not only the visible screen. */
  readonly history?: boolean;
}

const sessions = new Set<TmuxSession>();
let counter = 0;

/** Kills every session still open (for afterEach). */
export async function killTmuxSessions(): Promise<void> {
  await Promise.all([...sessions].map((s) => s.kill()));
}

export class TmuxSession {
  readonly socket: string;
  readonly panePid: number;
  /** The socket file, removed by kill() (tmux leaves it behind). */
  readonly socketPath: string;
  #killed = false;

  private constructor(socket: string, panePid: number, socketPath: string) {
    this.socket = socket;
    this.panePid = panePid;
    this.socketPath = socketPath;
  }

  /** Starts a detached session running `options.command`. */
  static start(options: TmuxOptions): TmuxSession {
    const socket = `hoku-test-${process.pid}-${++counter}`;
    const env: Record<string, string> = { ...(options.env ?? (process.env as Record<string, string>)) };
    delete env.TMUX;
    delete env.TMUX_PANE;
    // The server is started by this client, so it (and the session) inherit `env`.
    const result = Bun.spawnSync(
      [
        "tmux", "-L", socket, "-f", "/dev/null",
        "new-session", "-d", "-x", String(options.cols ?? 120), "-y", String(options.rows ?? 30),
        "-c", options.cwd, "-P", "-F", "#{pane_pid} #{socket_path}",
        options.command,
      ],
      { env, cwd: options.cwd, stdout: "pipe", stderr: "pipe" },
    );
    if (result.exitCode !== 0) throw new Error(`tmux new-session failed: ${result.stderr.toString()}`);
    const [pid, ...path] = result.stdout.toString().trim().split(" ");
    const session = new TmuxSession(socket, Number(pid), path.join(" "));
    sessions.add(session);
    // A manual window size, so resize() is not undone by (absent) clients.
    session.tmux("set-option", "-g", "window-size", "manual");
    return session;
  }

  /** Runs a tmux command on this session's server; throws with tmux's stderr on failure. */
  tmux(...args: string[]): string {
    const result = Bun.spawnSync(["tmux", "-L", this.socket, ...args], { stdout: "pipe", stderr: "pipe" });
    if (result.exitCode !== 0) throw new Error(`tmux ${args.join(" ")} failed: ${result.stderr.toString()}`);
    return result.stdout.toString();
  }

  /** Key names as tmux knows them: "Enter", "C-c", "C-]", "Escape", "j"... */
  sendKeys(...keys: string[]): void {
    this.tmux("send-keys", "-t", "0", ...keys);
  }

  /** Literal text, no key-name lookup (send-keys -l). */
  type(text: string): void {
    this.tmux("send-keys", "-t", "0", "-l", text);
  }

  /** The pane's text, one string with "\n" between rows (trailing blanks trimmed by tmux). */
  capture(options: CaptureOptions = {}): string {
    const args = ["capture-pane", "-p", "-t", "0"];
    if (options.colors) args.push("-e");
    if (options.history) args.push("-S", "-");
    return this.tmux(...args);
  }

  /** The visible rows, exactly `rows` of them. */
  lines(): string[] {
    const { rows } = this.size();
    const all = this.capture().replace(/\n$/, "").split("\n");
    while (all.length < rows) all.push("");
    return all.slice(0, rows);
  }

  size(): { cols: number; rows: number } {
    const [cols, rows] = this.tmux("display-message", "-p", "-t", "0", "#{pane_width} #{pane_height}").trim().split(" ").map(Number);
    return { cols: cols!, rows: rows! };
  }

  /**
   * Polls the screen every 50 ms until it matches; fails with the last screen.
   * A function pattern gets the screen and returns a truthy value when done.
   */
  async waitFor<T = RegExpMatchArray>(
    pattern: RegExp | string | ((screen: string) => T | undefined | null | false),
    timeoutMs = 15000,
    options: CaptureOptions = {},
  ): Promise<T> {
    const test =
      typeof pattern === "function"
        ? pattern
        : (screen: string) => (typeof pattern === "string" ? (screen.includes(pattern) ? ([pattern] as unknown as T) : null) : (screen.match(pattern) as T | null));
    const deadline = Date.now() + timeoutMs;
    let screen = "";
    for (;;) {
      screen = this.capture(options);
      const found = test(screen);
      if (found) return found as T;
      if (Date.now() > deadline) break;
      await Bun.sleep(50);
    }
    const what = typeof pattern === "function" ? pattern.toString() : String(pattern);
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last screen:\n${screen.replace(/\x1b/g, "\\e")}`);
  }

  /** Resizes the window (and so the pane; the program gets SIGWINCH). */
  resize(cols: number, rows: number): void {
    this.tmux("resize-window", "-t", "0", "-x", String(cols), "-y", String(rows));
  }

  /**
   * Kills the server, then (after a moment for SIGHUP to work) SIGKILLs whatever
   * the pane started that is still alive: hoku and its dynos never outlive a test.
   */
  async kill(): Promise<void> {
    if (this.#killed) return;
    this.#killed = true;
    sessions.delete(this);
    const family = descendants(this.panePid);
    Bun.spawnSync(["tmux", "-L", this.socket, "kill-server"], { stdout: "ignore", stderr: "ignore" });
    if (this.socketPath.includes(this.socket)) rmSync(this.socketPath, { force: true });
    const deadline = Date.now() + 3000;
    while (family.some(alive) && Date.now() < deadline) await Bun.sleep(50);
    for (const pid of family.filter(alive)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
    }
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

/** `root` and every process under it, now. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = parentOf(pid);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const all: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    all.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return all;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
