/**
 * The `hoku start` dashboard end to end: the real binary (dist/hoku) on a real
 * terminal (a private tmux server per test), driven with keys and read back from
 * the screen. Each pane runs `hoku start; echo EXIT=$?; stty -a; sleep 30`, so once
 * hoku is gone the pane still shows its exit code and the terminal's mode.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { basename, join } from "node:path";
import { freeBase, HOKU, makeApp, readPids, testEnv, waitAllDead } from "../helpers/hoku.ts";
import { killTmuxSessions, TmuxSession } from "../helpers/tmux.ts";

afterEach(killTmuxSessions);

/** A web dyno is `up` only once it listens on $PORT: this one does, after running `before`. */
const server = `require("http").createServer((q, s) => s.end("hi")).listen(process.env.PORT, "127.0.0.1")`;
const web = (before: string) => `${before}; exec node --no-warnings -e '${server}'`;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

interface Started {
  readonly tmux: TmuxSession;
  readonly dir: string;
  readonly name: string;
  readonly base: number;
}

/** Starts `hoku start -p <free base> ...args` on the Procfile in a tmux pane of the given size. */
async function startHoku(procfile: string, options: { args?: string[]; cols?: number; rows?: number; files?: Record<string, string> } = {}): Promise<Started> {
  const dir = makeApp({ Procfile: procfile, ...options.files });
  const base = await freeBase();
  const args = ["start", "-p", String(base), ...(options.args ?? [])].map(quote).join(" ");
  const tmux = TmuxSession.start({
    command: `${quote(HOKU)} ${args}; echo "EXIT=$?"; stty -a; sleep 30`,
    cwd: dir,
    // CI=true: regression, Ink went non-interactive (a blank screen) whenever CI was set.
    env: testEnv({ CI: "true" }),
    cols: options.cols ?? 120,
    rows: options.rows ?? 30,
  });
  return { tmux, dir, name: basename(dir), base };
}

/** The last row of the screen (the status bar), or "" while it is blank. */
const statusLine = (screen: string) => screen.replace(/\n+$/, "").split("\n").at(-1) ?? "";
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A dyno list row: `│ ▸ web.1    up       ↻  0 ...` (▸ when selected). */
const row = (dyno: string, state: string, restarts?: number) =>
  new RegExp(`^│ [▸ ] ${escape(dyno)} +${state} +↻ +${restarts ?? "\\d+"} `, "m");
/** A log pane line `dyno │ text`. */
const logLine = (dyno: string, text: string) => new RegExp(`^${escape(dyno)} +│ ${text}`, "m");
/** Words of `stty -a` (`icanon`, `-icanon`...). */
const sttyFlags = (screen: string) => new Set(screen.split(/\s+/));

describe("hoku start's dashboard in a real terminal", () => {
  test("lists every dyno with its state, and the status bar shows the app and its formation", async () => {
    const { tmux, name } = await startHoku(`web: ${web("echo hello-web")}\nworker: echo hello-worker; exec sleep 60\n`);
    const screen = await tmux.waitFor((s) => row("web.1", "up").test(s) && row("worker.1", "up").test(s) && s);
    expect(screen).toMatch(logLine("web.1", "hello-web"));
    expect(screen).toMatch(logLine("worker.1", "hello-worker"));
    const status = statusLine(screen);
    expect(status).toStartWith(`⬢ ${name} `);
    expect(status).toContain("web=1,worker=1");
    // The list box opens the screen, the first dyno selected.
    expect(screen.split("\n")[0]).toMatch(/^╭─+╮$/);
    expect(screen).toMatch(/^│ ▸ web\.1 /m);
  });

  test("j selects worker.1 and r restarts it: ↻ goes from 0 to 1 and a new process prints a new pid", async () => {
    const { tmux } = await startHoku(`web: ${web("echo web-pid=$$")}\nworker: echo pid=$$; exec sleep 60\n`);
    await tmux.waitFor((s) => row("web.1", "up", 0).test(s) && row("worker.1", "up", 0).test(s) && logLine("worker.1", "pid=\\d+").test(s));
    tmux.sendKeys("j");
    await tmux.waitFor(/^│ ▸ worker\.1 /m, 5000);
    tmux.sendKeys("r");
    const screen = await tmux.waitFor((s) => row("worker.1", "up", 1).test(s) && [...s.matchAll(/^worker\.1 +│ pid=(\d+)$/gm)].length >= 2 && s);
    const pids = [...screen.matchAll(/^worker\.1 +│ pid=(\d+)$/gm)].map((m) => m[1]);
    expect(pids).toHaveLength(2);
    expect(pids[1]).not.toBe(pids[0]);
    // Only the selected dyno restarted.
    expect(screen).toMatch(row("web.1", "up", 0));
    expect(screen).toMatch(/^│ ▸ worker\.1 /m);
  });

  test("/ searches the logs: the status bar shows the query and every match is highlighted yellow", async () => {
    const lines = ["alpha needle one", "beta two", "gamma needle three", "delta needle four"];
    const { tmux } = await startHoku(`worker: ${lines.map((l) => `echo '${l}'`).join("; ")}; exec sleep 60\n`);
    const before = await tmux.waitFor((s) => logLine("worker.1", "delta needle four").test(s) && s);
    expect(before).toContain("needle");
    expect(tmux.capture({ colors: true })).not.toMatch(/\x1b\[(?:[0-9;]*;)?43(?:;[0-9;]*)?m/); // nothing highlighted yet

    tmux.sendKeys("/");
    await tmux.waitFor((s) => statusLine(s).startsWith("/"), 5000);
    tmux.type("needle");
    await tmux.waitFor((s) => statusLine(s).startsWith("/needle"), 5000);
    tmux.sendKeys("Enter");
    const screen = await tmux.waitFor((s) => statusLine(s).startsWith("⬢") && s, 5000);
    expect(statusLine(screen)).toContain("/needle");

    const colored = tmux.capture({ colors: true });
    // A yellow background (SGR 43) turned on right before "needle" and off (49 or 0) right after it.
    const highlighted = /\x1b\[(?:[0-9;]*;)?43(?:;[0-9;]*)?m(?:\x1b\[[0-9;]*m)*needle(?:\x1b\[[0-9;]*m)*?\x1b\[(?:[0-9;]*;)?(?:49|0)(?:;[0-9;]*)?m/;
    const logRows = colored.split("\n").filter((l) => l.replace(/\x1b\[[0-9;]*m/g, "").match(/^worker\.1 +│ \w+ needle/));
    expect(logRows).toHaveLength(3);
    for (const line of logRows) expect(line).toMatch(highlighted);
    // Only the word is highlighted: the rest of the line is not on yellow.
    const plainPart = colored.split("\n").find((l) => l.includes("beta two"))!;
    expect(plainPart).not.toMatch(/\x1b\[(?:[0-9;]*;)?43(?:;[0-9;]*)?m/);
    expect([...colored.matchAll(new RegExp(highlighted, "g"))]).toHaveLength(3);
  });

  // BUG (TUI, input mode): `i` makes useInput inactive (`isActive: mode !== "input"`), and
  // Ink's useInput then calls setRawMode(false): the terminal goes back to cooked mode with
  // echo and Ink stops reading stdin. So typed keys are echoed by the terminal over the
  // dashboard (the status bar reads " INPUT  keys go to all dynos; Ctrl-] leaves input
  // modehello", then "^]" on the next row, and the Enter scrolls the whole screen up one row
  // so the list's top border disappears), nothing reaches the dyno (no `got:hello`), and
  // Ctrl-] never leaves input mode (the status bar still shows INPUT). Expected: raw mode
  // stays on, `got:hello` in the log pane, Ctrl-] back to the normal status bar.
  // (`stty -F <pane tty>` reads `-isig -icanon -echo` before `i`, `isig icanon echo` after.)
  // Also: the INPUT status reads "keys go to all dynos" (the log view's name) though the
  // keys go to the selected dyno only (web.1 here).
  test("i sends keys to the selected dyno's terminal until Ctrl-]", async () => {
    const { tmux } = await startHoku(`worker: echo idle; exec sleep 60\nweb: while read line; do echo "got:$line"; done\n`);
    await tmux.waitFor((s) => row("web.1", "starting|up").test(s) && row("worker.1", "up").test(s));
    tmux.sendKeys("j");
    await tmux.waitFor(/^│ ▸ web\.1 /m, 5000);
    tmux.sendKeys("i");
    await tmux.waitFor((s) => statusLine(s).includes("INPUT"), 5000);
    tmux.type("hello");
    tmux.sendKeys("Enter");
    await tmux.waitFor(logLine("web.1", "got:hello$"), 5000);
    tmux.sendKeys("C-]");
    const screen = await tmux.waitFor((s) => statusLine(s).startsWith("⬢") && s, 5000);
    expect(statusLine(screen)).not.toContain("INPUT");
    // Keys drive the dashboard again: k selects worker.1, and did not reach the dyno.
    tmux.sendKeys("k");
    await tmux.waitFor(/^│ ▸ worker\.1 /m, 5000);
    expect(tmux.capture()).not.toMatch(logLine("web.1", "got:k"));
    // The layout was never scrolled by echoed keys.
    expect(screen.split("\n")[0]).toMatch(/^╭─+╮$/);
  });

  test("a resize reflows the layout, and each dyno's terminal gets the log pane's new size", async () => {
    const { tmux } = await startHoku(`worker: trap 'echo "size $(stty size)"' WINCH; echo ready; while :; do sleep 0.2; done\n`);
    await tmux.waitFor((s) => row("worker.1", "up").test(s) && logLine("worker.1", "ready").test(s));
    expect(tmux.lines()[29]).toStartWith("⬢");

    tmux.resize(80, 24);
    const screen = await tmux.waitFor((s) => /^╭─{78}╮$/m.test(s) && statusLine(s).startsWith("⬢") && logLine("worker.1", "size 20 69$").test(s) && s, 10000);
    const rows = tmux.lines();
    expect(rows).toHaveLength(24);
    expect(rows[23]).toStartWith("⬢"); // the status bar is on the last row
    expect(rows[0]).toBe(`╭${"─".repeat(78)}╮`);
    const bottom = rows.findIndex((r) => r.startsWith("╰"));
    expect(rows[bottom]).toBe(`╰${"─".repeat(78)}╯`); // the list box fits in 80 columns
    for (const r of rows.slice(0, bottom + 1)) expect([...r].length).toBeLessThanOrEqual(80);
    expect(rows[1]).toMatch(/^│ ▸ worker\.1 +up .*│$/);
    // The log pane is the rows between the list box and the status bar, and the columns after `worker.1 │ `.
    const paneRows = 24 - (bottom + 1) - 1;
    const paneCols = 80 - "worker.1 │ ".length;
    expect(screen).toMatch(logLine("worker.1", `size ${paneRows} ${paneCols}$`));
  });

  // BUG (TUI, LogPane): a log line wider than the pane squeezes its `dyno │ ` prefix
  // instead of being truncated alone. A worker printing `short`, 200 x's, 40 words and
  // `done` shows, at 120x30:
  //   worker.1 │ short
  //   worker.1 │xxxxxxxx…x…                       (the space after │ is gone)
  //   worker.1 │word0 word1 … word16 …
  //   worker.1 │ done
  // and at 80x24 the prefix wraps: `worker.1 xxxx…x…` (no │ at all) followed by a blank
  // row, for each long line (lifecycle lines too, e.g. `Starting process with command`).
  // Expected: every row `worker.1 │ ` then the text cut with `…`, one row per line
  // (the prefix Text in LogPane.tsx needs flexShrink={0}).
  test("lines wider than the log pane are truncated, and keep their `dyno │ ` prefix", async () => {
    const long = "x".repeat(200);
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
    const { tmux } = await startHoku(`worker: echo short; echo ${long}; echo '${words}'; echo done; exec sleep 60\n`);
    for (const [cols, rows] of [[120, 30], [80, 24]] as const) {
      tmux.resize(cols, rows);
      const screen = await tmux.waitFor((s) => s.startsWith(`╭${"─".repeat(cols - 2)}╮`) && logLine("worker.1", "done$").test(s) && s);
      const lines = screen.split("\n");
      const short = lines.findIndex((l) => /^worker\.1 +│ short$/.test(l));
      expect(lines.slice(short, short + 4)).toEqual([
        "worker.1 │ short",
        `worker.1 │ ${"x".repeat(cols - 12)}…`,
        expect.stringMatching(/^worker\.1 │ word0 word1 .*…$/),
        "worker.1 │ done",
      ]);
      for (const line of lines.filter((l) => l.startsWith("worker.1"))) expect(line).toMatch(/^worker\.1 │ \S/);
    }
  });

  test("+ on web.1 scales web: web.2 appears on the next port and comes up", async () => {
    const { tmux, base } = await startHoku(`web: ${web('echo "I am $PS on $PORT"')}\n`);
    await tmux.waitFor((s) => row("web.1", "up").test(s) && logLine("web.1", `I am web\\.1 on ${base}`).test(s));
    expect(tmux.capture()).toMatch(/^│ ▸ web\.1 /m);
    expect(tmux.capture()).not.toContain("web.2");
    tmux.sendKeys("+");
    const screen = await tmux.waitFor((s) => row("web.2", "up").test(s) && logLine("web.2", `I am web\\.2 on ${base + 1}$`).test(s) && s);
    expect(screen).toMatch(row("web.1", "up", 0));
    expect(statusLine(screen)).toContain("web=2");
  });

  test("q stops every dyno, exits 0 and leaves the terminal as it found it (cooked mode, main screen, cursor, no mouse)", async () => {
    const { tmux, dir } = await startHoku(`web: ${web("echo $$ >> pids")}\nworker: echo $$ >> pids; exec sleep 60\n`);
    await tmux.waitFor((s) => row("web.1", "up").test(s) && row("worker.1", "up").test(s));
    const pids = readPids(join(dir, "pids"));
    expect(pids).toHaveLength(2);
    const modes = () => tmux.tmux("display-message", "-p", "-t", "0", "#{alternate_on} #{cursor_flag} #{mouse_standard_flag} #{mouse_sgr_flag}").trim();
    expect(modes()).toBe("1 0 1 1"); // the dashboard: alternate screen, no cursor, mouse reports

    tmux.sendKeys("q");
    const screen = await tmux.waitFor((s) => /^EXIT=\d+$/m.test(s) && /echoke/.test(s) && s, 15000, { history: true });
    expect(screen).toMatch(/^EXIT=0$/m);
    const flags = sttyFlags(screen.slice(screen.indexOf("EXIT=")));
    for (const flag of ["icanon", "echo", "isig", "icrnl", "opost"]) expect(flags).toContain(flag);
    expect(flags).not.toContain("-icanon");
    expect(flags).not.toContain("-echo");
    expect(modes()).toBe("0 1 0 0"); // main screen, cursor shown, mouse off
    expect(await waitAllDead(pids)).toEqual([]);
  });

  test("Ctrl-C stops every dyno and exits 130", async () => {
    const { tmux, dir } = await startHoku(`worker: echo $$ >> pids; exec sleep 60\n`);
    // A worker is up once started, which can be before its shell has written its pid.
    await tmux.waitFor((s) => row("worker.1", "up").test(s) && readPids(join(dir, "pids")).length > 0);
    const pids = readPids(join(dir, "pids"));
    expect(pids).toHaveLength(1);
    tmux.sendKeys("C-c");
    const screen = await tmux.waitFor((s) => /^EXIT=\d+$/m.test(s) && /echoke/.test(s) && s, 15000, { history: true });
    expect(screen).toMatch(/^EXIT=130$/m);
    expect(sttyFlags(screen.slice(screen.indexOf("EXIT=")))).toContain("icanon");
    expect(await waitAllDead(pids)).toEqual([]);
  });

  test("a second Ctrl-C kills at once: the dashboard goes, the terminal is restored, and the kill is said", async () => {
    const { tmux, dir } = await startHoku(`worker: trap '' TERM; echo $$ >> pids; while true; do sleep 1; done\n`, { args: ["-t", "20s"] });
    await tmux.waitFor((s) => row("worker.1", "up").test(s) && readPids(join(dir, "pids")).length > 0);
    const pids = readPids(join(dir, "pids"));
    tmux.sendKeys("C-c");
    await tmux.waitFor((s) => statusLine(s).includes("Ctrl-C again"));
    tmux.sendKeys("C-c");
    const screen = await tmux.waitFor((s) => /^EXIT=\d+$/m.test(s) && /echoke/.test(s) && s, 15000, { history: true });
    expect(screen).toMatch(/^EXIT=130$/m);
    expect(screen).toContain("hoku: killed every dyno with SIGKILL (second interrupt)");
    expect(screen).not.toContain("╭"); // the dashboard's frame is gone from the screen
    const modes = tmux.tmux("display-message", "-p", "-t", "0", "#{alternate_on} #{cursor_flag} #{mouse_standard_flag} #{mouse_sgr_flag}").trim();
    expect(modes).toBe("0 1 0 0");
    expect(sttyFlags(screen.slice(screen.indexOf("EXIT=")))).toContain("icanon");
    expect(await waitAllDead(pids)).toEqual([]);
  });

  test("what hoku says before the dashboard opens (an app.json warning) is in its log pane", async () => {
    const { tmux } = await startHoku(`worker: exec sleep 60\n`, { files: { "app.json": '{"website_url": "https://example.com"}' } });
    const screen = await tmux.waitFor((s) => row("worker.1", "up").test(s) && /unknown key "website_url"/.test(s) && s);
    expect(screen).toMatch(/^hoku +│ app\.json.*warning: unknown key "website_url"/m);
  });

  test("s on a crashed dyno waiting out its backoff keeps it down: the restart is called off", async () => {
    const { tmux } = await startHoku(`worker: echo crashing; exit 3\n`, { args: ["--backoff", "10m"] });
    await tmux.waitFor((s) => row("worker.1", "crashed").test(s) && /restarting in 10m/.test(s));
    tmux.sendKeys("s");
    await tmux.waitFor((s) => row("worker.1", "down").test(s));
    tmux.sendKeys("q");
    const screen = await tmux.waitFor((s) => /^EXIT=\d+$/m.test(s) && s, 15000, { history: true });
    expect(screen).toMatch(/^EXIT=0$/m);
  });

  test("a terminal smaller than 60x15 gets a note instead of the dashboard, until it grows", async () => {
    const { tmux } = await startHoku(`worker: echo hello; exec sleep 60\n`, { cols: 50, rows: 12 });
    const small = await tmux.waitFor((s) => s.includes("Terminal too small") && s, 15000);
    expect(small).toContain("(50x12)");
    expect(small).not.toContain("⬢");
    tmux.resize(120, 30);
    await tmux.waitFor((s) => row("worker.1", "up").test(s) && statusLine(s).startsWith("⬢"), 10000);
    expect(tmux.capture()).not.toContain("Terminal too small");
  });

  test("--no-tui prints plain prefixed lines on a terminal", async () => {
    const { tmux } = await startHoku(`web: echo hello; exec sleep 60\nworker: echo hi-worker; exec sleep 60\n`, { args: ["--no-tui"] });
    // `web.1 | hello`, after a time stamp on a terminal.
    const screen = await tmux.waitFor((s) => /^(\d\d:\d\d:\d\d )?web\.1 +\| hello$/m.test(s) && /^(\d\d:\d\d:\d\d )?worker\.1 +\| hi-worker$/m.test(s) && s);
    expect(screen).not.toContain("⬢");
    expect(screen).not.toContain("╭");
    expect(tmux.tmux("display-message", "-p", "-t", "0", "#{alternate_on}").trim()).toBe("0");
    tmux.sendKeys("C-c");
    await tmux.waitFor(/^EXIT=130$/m, 15000, { history: true });
  });
});
