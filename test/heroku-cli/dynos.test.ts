/**
 * The real heroku CLI's dyno commands against hoku (issue 13), with the lines and exit codes
 * it prints against Heroku: ps (and --json), ps:scale (several types, +/-; sizes: Basic only),
 * ps:type, ps:restart (all, a type, a dyno), ps:stop (a dyno and a type come back; one-off
 * dynos end), logs (-n, -s, -d, -p; --tail across a release, resuming a dropped stream with
 * Last-Event-ID), run (an interactive bash in a real terminal, --exit-code, -e, --no-tty, a
 * process type's name, --size) and run:detached; and hoku's own `run --no-tty`. One platform
 * and one small app for the file; independent CLI calls run side by side (each costs ~1.5 s).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type HerokuCli, HEROKU, herokuCliFor } from "../helpers/heroku-cli.ts";
import { gitApp, push, startTestPlatform, type TestPlatform } from "../helpers/platform.ts";

const APP = "cli-dynos";
const PROCFILE = ["web: python3 -m http.server $PORT", 'worker: echo "worker $DYNO up"; exec sleep 600', 'greet: echo "greeting from $DYNO"'].join("\n");

let platform: TestPlatform;
let cli: HerokuCli;
beforeAll(async () => {
  // Followed log streams end after 1 s of silence here, so --tail's reconnects are exercised.
  platform = await startTestPlatform(["--log-idle-timeout", "1s"]);
  cli = await herokuCliFor(platform);
  const dir = gitApp({ Procfile: `${PROCFILE}\n` }, platform.env);
  expect((await platform.hoku(["apps:create", APP], { cwd: dir })).code).toBe(0);
  const pushed = await push(dir, platform.env);
  if (pushed.code !== 0) throw new Error(`push failed:\n${pushed.out}`);
  await psUntil(/web\.1: up /);
}, 120_000);
afterAll(async () => {
  await platform?.stop();
});

const heroku = (...args: string[]) => cli.heroku([...args, "-a", APP]);

/** `heroku ps` (hoku's, for speed) until it matches. */
async function psUntil(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = "";
  while (Date.now() < deadline) {
    text = (await platform.hoku(["ps", "-a", APP])).stdout;
    if (pattern.test(text)) return text;
    await Bun.sleep(200);
  }
  throw new Error(`ps never showed ${pattern}:\n${text}`);
}

/** The app's last 1500 log lines (hoku's logs, for speed) once they match. */
const count = (text: string, pattern: RegExp) => (text.match(new RegExp(pattern.source, "g")) ?? []).length;

/** A Logplex line: `2026-12-01T10:00:00.000000+00:00 app[web.1]: text`. */
const LOG_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 (app|heroku)\[[\w.]+\]: /;

describe("heroku ps, ps:scale, ps:type", () => {
  test("ps groups dynos under their type and command; --json prints the dynos as the API shows them", async () => {
    const [ps, json] = await Promise.all([heroku("ps"), heroku("ps", "--json")]);
    expect(ps.stdout).toContain("=== web (Basic): python3 -m http.server $PORT (1)");
    expect(ps.stdout).toMatch(/^web\.1: up \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \+0000 \(~ \d+[smh] ago\)$/m);
    expect(ps.code).toBe(0);
    const dynos = JSON.parse(json.stdout) as { id: string; name: string; type: string; state: string; size: string; command: string; release: { version: number } }[];
    expect(dynos).toHaveLength(1);
    expect(dynos[0]).toMatchObject({ name: "web.1", type: "web", state: "up", size: "Basic", command: "python3 -m http.server $PORT", release: { version: 3 } });
    expect(dynos[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(JSON.parse((await heroku("ps", "--json")).stdout)[0].id).toBe(dynos[0]!.id);
    // hoku's own ps takes the same forms: --json (the same objects), types, and an unknown type is an error.
    const [own, ownWeb, ownNone] = await Promise.all([platform.hoku(["ps", "--json", "-a", APP]), platform.hoku(["ps", "web", "-a", APP]), platform.hoku(["ps", "nosuch", "-a", APP])]);
    expect((JSON.parse(own.stdout) as { id: string }[]).map((d) => d.id)).toEqual([dynos[0]!.id]);
    expect(ownWeb.stdout).toContain("=== web (Basic): python3 -m http.server $PORT (1)");
    expect(ownNone.stderr).toContain(`hoku: No nosuch dynos on ⬢ ${APP}`);
    expect(ownNone.code).toBe(1);
  }, 60_000);

  test("ps:scale takes several types, +N and -N; with no argument it prints the formation", async () => {
    const up = await heroku("ps:scale", "web+1", "worker=2");
    expect(up.stderr).toContain(`Scaling dynos... done, now running web at 2:Basic, worker at 2:Basic`);
    expect(up.code).toBe(0);
    await psUntil(/worker\.2: up /);
    const down = await heroku("ps:scale", "worker-1", "web-1");
    expect(down.stderr).toContain(`Scaling dynos... done, now running web at 1:Basic, worker at 1:Basic`);
    const [shown, ps] = await Promise.all([heroku("ps:scale"), psUntil(/^(?![\s\S]*web\.2)[\s\S]*worker\.1: up /)]);
    expect(shown.stdout).toBe("greet=0:Basic web=1:Basic worker=1:Basic\n");
    expect(ps).toContain("=== worker (Basic): echo \"worker $DYNO up\"; exec sleep 600 (1)");
  }, 60_000);

  test("sizes: Basic is the one hoku runs; ps:scale, ps:type and run refuse another with Heroku's 'No such size' error", async () => {
    const [scale, type, typeBasic, table] = await Promise.all([
      heroku("ps:scale", "web=1:Standard-2X"),
      heroku("ps:type", "standard-2x"),
      heroku("ps:type", "web=basic"),
      heroku("ps:type"),
    ]);
    expect(scale.stderr).toContain("No such size as Standard-2X. hoku runs every dyno as Basic");
    expect(scale.code).toBe(2);
    expect(type.stderr).toContain("No such size as standard-2x.");
    expect(type.code).toBe(2);
    expect(typeBasic.stderr).toContain(`Scaling dynos on ${APP}... done`);
    expect(typeBasic.code).toBe(0);
    expect(table.stdout).toContain("=== Process Types");
    expect(table.stdout).toMatch(/^\s+web\s+Basic\s+1\s/m);
    expect(table.stdout).toMatch(/^\s+worker\s+Basic\s+1\s/m);
    expect(table.code).toBe(0);
  }, 60_000);
});

describe("heroku ps:restart and ps:stop", () => {
  test("ps:restart: every dyno, a type with --process-type, a dyno with --dyno-name; an unknown one is a 404", async () => {
    const all = await heroku("ps:restart");
    expect(all.stderr).toContain(`Restarting all dynos on ${APP}... done`);
    expect(all.code).toBe(0);
    await psUntil(/worker\.1: up /);
    const before = count(await platform.logsUntil(APP, /heroku\[worker\.1\]: State changed from starting to up/), /heroku\[worker\.1\]: Restarting/);
    const type = await heroku("ps:restart", "--process-type", "worker");
    expect(type.stderr).toContain(`Restarting all worker dynos on ${APP}... done`);
    const [dyno, unknown] = await Promise.all([heroku("ps:restart", "--dyno-name", "worker.1"), heroku("ps:restart", "--dyno-name", "worker.9")]);
    expect(dyno.stderr).toContain(`Restarting dyno worker.1 on ${APP}... done`);
    expect(dyno.code).toBe(0);
    expect(unknown.stderr).toContain("Couldn't find that dyno.");
    expect(unknown.code).toBe(2);
    await platform.logsUntil(APP, new RegExp(`(heroku\\[worker\\.1\\]: Restarting[\\s\\S]*){${before + 2}}`));
  }, 60_000);

  test("ps:stop of a dyno or a type: it goes down, then the formation starts it again (no restart); an unknown type is a 404", async () => {
    const ups = count(await platform.logsUntil(APP, /heroku\[worker\.1\]: State changed from starting to up/), /heroku\[worker\.1\]: State changed from starting to up/);
    const restarts = count(await platform.hoku(["logs", "-n", "1500", "-a", APP]).then((r) => r.stdout), /heroku\[worker\.1\]: Restarting/);
    const dyno = await heroku("ps:stop", "--dyno-name", "worker.1");
    expect(dyno.stderr).toContain(`Stopping dyno worker.1 on ${APP}... done`);
    expect(dyno.code).toBe(0);
    const [type, unknown, none] = await Promise.all([heroku("ps:stop", "--process-type", "worker"), heroku("ps:stop", "--process-type", "nope"), heroku("ps:stop")]);
    expect(type.stderr).toContain(`Stopping all worker dynos on ${APP}... done`);
    expect(type.code).toBe(0);
    expect(unknown.stderr).toContain("Couldn't find that process type (nope).");
    expect(unknown.code).toBe(2);
    expect(none.stderr).toContain("Please specify a process type or dyno name to stop.");
    expect(none.code).toBe(2);
    const logs = await platform.logsUntil(APP, new RegExp(`(heroku\\[worker\\.1\\]: State changed from starting to up[\\s\\S]*){${ups + 2}}`));
    // Heroku has no stopping state: `up to down`, then the SIGTERM, the exit, and the start again.
    expect(
      count(logs, /heroku\[worker\.1\]: State changed from up to down\n[^\n]*heroku\[worker\.1\]: Stopping all processes with SIGTERM\n[^\n]*heroku\[worker\.1\]: Process exited with status 143\n[^\n]*heroku\[worker\.1\]: State changed from down to starting/),
    ).toBeGreaterThanOrEqual(2);
    expect(logs).not.toMatch(/State changed from stopping|to stopping/);
    expect(count(logs, /heroku\[worker\.1\]: Restarting/)).toBe(restarts);
  }, 60_000);

  test("one-off dynos: ps lists them under run (hoku ps too), ps:stop --process-type run ends them (never restarted)", async () => {
    const detached = await heroku("run:detached", "sleep 600");
    const name = /done, (run\.\d+)/.exec(detached.stderr)?.[1];
    expect(name).toBeDefined();
    const line = new RegExp(`^${name!.replace(".", "\\.")} \\(Basic\\): up \\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\+0000 \\(~ \\d+s ago\\): sleep 600$`, "m");
    expect(await psUntil(line)).toMatch(/^=== run: one-off processes \(1\)\n\n/);
    const ps = await heroku("ps");
    expect(ps.stdout).toContain("=== run: one-off processes (1)");
    expect(ps.stdout).toMatch(line);
    const stop = await heroku("ps:stop", "--process-type", "run");
    expect(stop.stderr).toContain(`Stopping all run dynos on ${APP}... done`);
    expect(stop.code).toBe(0);
    await platform.logsUntil(APP, new RegExp(`heroku\\[${name!.replace(".", "\\.")}\\]: Process exited with status 143\n[^\n]*heroku\\[${name!.replace(".", "\\.")}\\]: State changed from up to complete`));
    expect((await platform.hoku(["ps", "-a", APP])).stdout).not.toContain(name!);
  }, 60_000);
});

describe("heroku logs", () => {
  test("-n, --source, --dyno-name and --process-type (and its hidden --ps)", async () => {
    const [last5, heroku_, dyno, type, ps] = await Promise.all([
      heroku("logs", "-n", "5"),
      heroku("logs", "-n", "40", "-s", "heroku"),
      heroku("logs", "-n", "40", "-d", "worker.1"),
      heroku("logs", "-n", "40", "-p", "worker"),
      heroku("logs", "-n", "40", "--ps", "web"),
    ]);
    const lines = (text: string) => text.trimEnd().split("\n");
    expect(lines(last5.stdout)).toHaveLength(5);
    for (const line of lines(last5.stdout)) expect(line).toMatch(LOG_LINE);
    expect(last5.code).toBe(0);
    expect(lines(heroku_.stdout).every((l) => / heroku\[[\w.]+\]: /.test(l))).toBe(true);
    expect(lines(dyno.stdout).every((l) => l.includes("[worker.1]: "))).toBe(true);
    expect(dyno.stdout).toContain("app[worker.1]: worker worker.1 up");
    expect(lines(type.stdout).every((l) => /\[worker\.\d+\]: /.test(l))).toBe(true);
    expect(lines(ps.stdout).every((l) => /\[web\.\d+\]: /.test(l))).toBe(true);
    expect(ps.stdout).toContain("heroku[web.1]: ");
  }, 60_000);

  test("--tail follows across a release, and each dropped stream resumes with Last-Event-ID: every line once, in order", async () => {
    const tail = Bun.spawn([HEROKU, "logs", "--tail", "-n", "1", "-a", APP], { cwd: platform.env.HOME, env: cli.env, stdout: "pipe", stderr: "pipe" });
    let seen = "";
    const reading = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of tail.stdout) seen += decoder.decode(chunk, { stream: true });
    })();
    const until = async (pattern: RegExp, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(seen) && Date.now() < deadline) await Bun.sleep(100);
      if (!pattern.test(seen)) throw new Error(`logs --tail never showed ${pattern}:\n${seen}`);
    };
    try {
      await until(LOG_LINE);
      // Lines 2.5 s apart: the stream idles out (1 s here) after each and the CLI reopens it 3 s later, so most come while it is away.
      await heroku("run:detached", "for i in 1 2 3 4 5; do echo tick-$i; sleep 2.5; done");
      await until(/tick-2/);
      const set = await heroku("config:set", "TAIL_RELEASE=1");
      const version = /done, (v\d+)/.exec(set.stderr)?.[1];
      expect(version).toBeDefined();
      await until(new RegExp(`app\\[api\\]: Release ${version} created by user`));
      await until(/tick-5/);
      await until(/heroku\[web\.1\]: State changed from starting to up/);
    } finally {
      tail.kill();
      await tail.exited;
      await reading;
    }
    const lines = seen.trimEnd().split("\n");
    for (const line of lines) expect(line).toMatch(LOG_LINE);
    expect(new Set(lines).size).toBe(lines.length);
    const ticks = lines.filter((l) => /app\[run\.\d+\]: tick-\d$/.test(l)).map((l) => l.slice(-6));
    expect(ticks).toEqual(["tick-1", "tick-2", "tick-3", "tick-4", "tick-5"]);
    expect(seen).toMatch(/app\[api\]: Set TAIL_RELEASE config vars by user /);
  }, 90_000);
});

describe("heroku run and run:detached", () => {
  test("run bash in a real terminal: Heroku's prompt (~ $, from PS1), a typed line is echoed and answered; --exit-code returns bash's exit status", async () => {
    const sandboxed = (await platform.hoku(["platform:status"])).stdout.includes("bubblewrap");
    let screen = "";
    const proc = Bun.spawn([HEROKU, "run", "--exit-code", "-a", APP, "bash"], {
      cwd: platform.env.HOME,
      env: { ...cli.env, TERM: "xterm-256color" },
      terminal: { cols: 100, rows: 30, data: (_t, chunk) => void (screen += new TextDecoder().decode(chunk)) },
    });
    const until = async (pattern: RegExp, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      const shown = () => pattern.test(Bun.stripANSI(screen));
      while (!shown() && Date.now() < deadline) await Bun.sleep(50);
      if (!shown()) throw new Error(`heroku run bash never showed ${pattern}:\n${screen}`);
    };
    try {
      await until(/up, run\.\d+/);
      await until(/[$#] $/); // bash's prompt
      // The sandbox's /etc/bash.bashrc is the stack's, with Heroku's prompt; elsewhere it is the machine's.
      if (sandboxed) expect(Bun.stripANSI(screen).replace(/\r/g, "")).toMatch(/\n~ \$ $/);
      else console.warn("no bubblewrap sandbox here: the prompt is the machine's bash.bashrc's");
      proc.terminal!.write("echo hello-$((6*7)) from $DYNO\r");
      await until(/echo hello-\$\(\(6\*7\)\) from \$DYNO\r+\n/); // the dyno's terminal echoes what was typed
      await until(/hello-42 from run\.\d+/);
      if (sandboxed) {
        proc.terminal!.write('echo "[$PS1]"\r');
        await until(/\[\\\[\\033\[01;34m\\\]\\w\\\[\\033\[00m\\\] \\\[\\033\[01;32m\\\]\$ \\\[\\033\[00m\\\]\]/); // PS1 as Heroku's
      }
      proc.terminal!.write("exit 3\r");
      expect(await proc.exited).toBe(3);
    } finally {
      proc.kill();
      proc.terminal?.close();
    }
  }, 60_000);

  test("run -e sets vars (KEY=value;KEY2=value), --size basic works and another size is refused; --exit-code passes the status; run:inside (Fir only) is refused", async () => {
    const [run, sized, inside] = await Promise.all([
      heroku("run", "--exit-code", "-s", "basic", "-e", "GREETING=hi;OTHER=two words", "echo $GREETING/$OTHER/$DYNO; (exit 4)"),
      heroku("run", "--size", "standard-2x", "true"),
      heroku("run:inside", "web.1", "true"),
    ]);
    expect(inside.stderr).toContain("run:inside is for Fir-generation apps");
    expect(inside.code).not.toBe(0);
    expect(run.stdout).toMatch(/^hi\/two words\/run\.\d+$/m);
    expect(run.stderr).toMatch(/Running echo \$GREETING\/\$OTHER\/\$DYNO; \(exit 4\) on cli-dynos\.\.\. up, run\.\d+/);
    expect(run.stderr).toContain("Process exited with code 4");
    expect(run.code).toBe(4);
    expect(sized.stderr).toContain("No such size as standard-2x.");
    expect(sized.code).toBe(2);
  }, 60_000);

  test("run --no-tty: the dyno gets no terminal and piped stdin is not echoed (without it, the terminal echoes it)", async () => {
    const [plain, tty] = await Promise.all([
      cli.heroku(["run", "--no-tty", "-a", APP, "cat; [ -t 1 ] || echo no-terminal"], { stdin: "piped-line\n" }),
      cli.heroku(["run", "-a", APP, "cat; [ -t 1 ] && echo terminal"], { stdin: "piped-line\n" }),
    ]);
    expect(plain.stdout).toBe("piped-line\nno-terminal\n");
    expect(plain.code).toBe(0);
    expect(count(tty.stdout, /piped-line/)).toBe(2);
    expect(tty.stdout).toContain("terminal\n");
  }, 60_000);

  test("run with a process type's name runs its Procfile command, the rest of the line appended (as Heroku's runtime resolves it)", async () => {
    const run = await heroku("run", "--exit-code", "greet", "and more");
    expect(run.stdout).toMatch(/^greeting from run\.\d+ and more$/m);
    expect(run.stderr).toMatch(/Running greet "and more" on cli-dynos\.\.\. up, run\.\d+/);
    expect(run.code).toBe(0);
  }, 60_000);

  test("run:detached prints done, run.N and the logs command; the output is in the logs as app[run.N]", async () => {
    const detached = await heroku("run:detached", "echo detached-hello from $DYNO");
    const name = /Running echo detached-hello from \$DYNO on cli-dynos\.\.\. done, (run\.\d+)/.exec(detached.stderr)?.[1];
    expect(name).toBeDefined();
    expect(detached.stdout).toBe(`Run heroku logs --app ${APP} --dyno ${name} to view the output.\n\n`);
    expect(detached.code).toBe(0);
    await platform.logsUntil(APP, new RegExp(`heroku\\[${name!.replace(".", "\\.")}\\]: State changed from up to complete`));
    const logs = await heroku("logs", "--dyno", name!);
    expect(logs.stdout).toContain(`app[${name}]: detached-hello from ${name}`);
    expect(logs.stdout).toContain(`heroku[${name}]: Process exited with status 0`);
  }, 60_000);
});

describe("dyno metadata (Dev Center: dyno-metadata)", () => {
  test("labs:enable runtime-dyno-metadata: one-off dynos, attached and detached, get Heroku's metadata vars; labs:disable takes them away", async () => {
    const show = 'echo "[$HEROKU_APP_NAME|$HEROKU_APP_ID|$HEROKU_APP_DEFAULT_DOMAIN_NAME|$HEROKU_DYNO_ID|$HEROKU_RELEASE_VERSION|$HEROKU_RELEASE_CREATED_AT|$HEROKU_SLUG_COMMIT|$HEROKU_SLUG_DESCRIPTION]"';
    expect((await cli.heroku(["labs:enable", "runtime-dyno-metadata", "-a", APP])).code).toBe(0);
    const uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    const vars = new RegExp(`^\\[cli-dynos\\|${uuid}\\|cli-dynos\\.localhost\\|${uuid}\\|v\\d+\\|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\|[0-9a-f]{40}\\|Deploy [0-9a-f]{7,8}\\]$`, "m");
    const [attached, detached] = await Promise.all([heroku("run", "--exit-code", show), heroku("run:detached", show)]);
    expect(attached.stdout).toMatch(vars);
    const name = /done, (run\.\d+)/.exec(detached.stderr)![1]!;
    const logs = await platform.logsUntil(APP, new RegExp(`app\\[${name.replace(".", "\\.")}\\]: \\[`));
    expect(logs.split("\n").find((line) => line.includes(`app[${name}]: [`))!.replace(/^.*?\]: /, "")).toMatch(vars);
    const app = JSON.parse((await heroku("apps:info", "--json")).stdout) as { app: { id: string } };
    expect(attached.stdout).toContain(`|${app.app.id}|`);
    expect((await cli.heroku(["labs:disable", "runtime-dyno-metadata", "-a", APP])).code).toBe(0);
    expect((await heroku("run", "--exit-code", show)).stdout).toContain("[|||||||]");
  }, 60_000);
});

describe("hoku's own run against the deployed app", () => {
  test("hoku run --no-tty: no terminal, piped input not echoed; without it the dyno's terminal echoes it", async () => {
    const [plain, tty] = await Promise.all([
      platform.hoku(["run", "--no-tty", "-a", APP, "cat; [ -t 1 ] || echo no-terminal"], { stdin: "piped-line\n" }),
      platform.hoku(["run", "-a", APP, "cat; [ -t 1 ] && echo terminal"], { stdin: "piped-line\n" }),
    ]);
    expect(plain.stdout).toBe("piped-line\nno-terminal\n");
    expect(plain.code).toBe(0);
    expect(count(tty.stdout, /piped-line/)).toBe(2);
  }, 60_000);
});
