/** `hoku run` (alias `local:run`): a one-off dyno with the app's env; its exit code is hoku's. */
import { describe, expect, test } from "bun:test";
import { readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { HOKU, makeApp, runHoku, testEnv } from "../helpers/hoku.ts";

const app = () =>
  makeApp({
    Procfile: "web: node web.js\n",
    ".env": "GREETING=from-env\n",
    "app.json": JSON.stringify({ env: { DEFAULTED: { value: "from-app-json" }, SECRET: { generator: "secret" } } }),
  });

describe("hoku run", () => {
  test.each([
    ["exit 0", 0],
    ["exit 5", 5],
    ["false", 1],
    ["kill -TERM $$", 143],
    ["kill -KILL $$", 137],
    ["no-such-command-here", 127],
  ])("`%s` exits %i", async (command, code) => {
    expect((await runHoku(["run", command], { cwd: app() })).code).toBe(code);
  });

  test("gets the env files, PS=run.N, no DYNO, no PORT unless -p, and nothing from app.json env (heroku local:run: foreman's once() sets no PORT)", async () => {
    const dir = app();
    const first = await runHoku(["run", 'echo "${DYNO-unset}|$PS|${PORT-unset}|$GREETING|${DEFAULTED-unset}|${SECRET-unset}"'], { cwd: dir });
    const [dyno, ps, port, greeting, defaulted, secret] = first.stdout.trim().split("|");
    expect(dyno).toBe("unset");
    expect(ps).toMatch(/^run\.\d{4}$/);
    expect(port).toBe("unset");
    expect(greeting).toBe("from-env");
    expect(defaulted).toBe("unset");
    expect(secret).toBe("unset");
    expect((await runHoku(["local:run", "-p", "5123", "echo $PORT"], { cwd: dir })).stdout).toBe("5123\n");
  });

  test("--set KEY=value;KEY2=value2 sets vars for the command, over the env files (heroku run's -e); -e KEY=value is pointed to it; --detach needs a deployed app", async () => {
    const dir = app();
    const set = await runHoku(["run", "--set", "FOO=bar;GREETING=from-set", 'echo "$FOO $GREETING"'], { cwd: dir });
    expect(set.stdout).toBe("bar from-set\n");
    expect(set.code).toBe(0);
    expect((await runHoku(["run", "--set", "A=1", "--set", "B=2", 'echo "$A $B"'], { cwd: dir })).stdout).toBe("1 2\n");
    const bad = await runHoku(["run", "--set", "NOEQUALS", "true"], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--set NOEQUALS: write KEY=value pairs separated by ';'");
    const e = await runHoku(["run", "-e", "FOO=bar;X=1", "env"], { cwd: dir });
    expect(e.code).toBe(1);
    expect(e.stderr).toContain("use --set KEY=value;KEY2=value2");
    const detach = await runHoku(["run", "--detach", "true"], { cwd: dir });
    expect(detach.code).toBe(1);
    expect(detach.stderr).toContain("runs a one-off dyno of a deployed app");
  });

  test("arguments are passed through, options included, and joined as heroku run joins them", async () => {
    const dir = app();
    expect((await runHoku(["run", "echo", "-n", "a", "b"], { cwd: dir })).stdout).toBe("a b");
    expect((await runHoku(["run", "ls", "-a"], { cwd: dir })).stdout).toContain(".env");
    expect((await runHoku(["run", "echo", "a  b", "c'd"], { cwd: dir })).stdout).toBe("a  b c'd\n");
    expect((await runHoku(["run", "bash", "-c", "exit 7"], { cwd: dir })).code).toBe(7);
    expect((await runHoku(["run", "echo one && echo two"], { cwd: dir })).stdout).toBe("one\ntwo\n");
  });

  test("in a subfolder of the app, run finds the app's root (as git finds its root) and says so", async () => {
    const dir = makeApp({ Procfile: "web: x\n", ".env": "GREETING=from-root\n", "src/lib/keep": "" });
    const { stdout, stderr, code } = await runHoku(["run", "echo $GREETING; pwd"], { cwd: join(dir, "src/lib") });
    expect(code).toBe(0);
    expect(stdout).toBe(`from-root\n${realpathSync(dir)}\n`);
    expect(stderr).toContain(`hoku: running the app at ${dir}`);
  });

  test("the search for the app root stops at the top of a git repository", async () => {
    const parent = makeApp({ Procfile: "web: x\n", ".env": "GREETING=from-parent\n", "repo/.git/HEAD": "ref: refs/heads/main\n", "repo/sub/keep": "" });
    const { stdout, stderr } = await runHoku(["run", "echo [$GREETING]"], { cwd: join(parent, "repo/sub") });
    expect(stdout).toBe("[]\n");
    expect(stderr).not.toContain("running the app at");
  });

  test("without a terminal, stdin and stdout are plain pipes", async () => {
    const { stdout, code } = await runHoku(["run", 'read x; echo "got:$x"; test -t 0 || echo "not a tty"'], { cwd: app(), stdin: "hello\n" });
    expect(stdout).toBe("got:hello\nnot a tty\n");
    expect(code).toBe(0);
  });

  test("a broken Procfile does not stop run, a broken .env does", async () => {
    const dir = makeApp({ Procfile: "not a procfile line\n", ".env": "OK=1\n" });
    expect((await runHoku(["run", "echo $OK"], { cwd: dir })).stdout).toBe("1\n");
    const broken = makeApp({ ".env": "FOO: bar\n" });
    const result = await runHoku(["run", "true"], { cwd: broken });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(".env:1: `FOO: bar` uses ':' where '=' is expected");
  });

  test("on a terminal: its own PTY, keystrokes pass through in raw mode, the exit code and the terminal are restored", async () => {
    const dir = app();
    const inner = `${HOKU} run 'tty; read x; echo "got:$x"; exit 4'`;
    const outer = `stty -g > before; ${inner}; echo "code=$?"; stty -g > after`;
    const proc = Bun.spawn(["script", "-qfec", outer, "/dev/null"], { cwd: dir, env: testEnv(), stdin: "pipe", stdout: "pipe" });
    await Bun.sleep(500);
    proc.stdin.write("hello\r");
    proc.stdin.flush();
    const output = await new Response(proc.stdout).text();
    proc.stdin.end();
    await proc.exited;
    expect(output).toMatch(/\/dev\/pts\/\d+/);
    expect(output).toContain("got:hello");
    expect(output).toContain("code=4");
    expect(readFileSync(join(dir, "after"), "utf8")).toBe(readFileSync(join(dir, "before"), "utf8"));
  });
});
