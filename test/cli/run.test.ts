/** `hoku run` (alias `local:run`): a one-off dyno with the app's env; its exit code is hoku's. */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
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

  test("gets the app's env, DYNO=run.N, PORT, and the same secret as start", async () => {
    const dir = app();
    const env = testEnv();
    const first = await runHoku(["run", 'echo "$DYNO|$PS|$PORT|$GREETING|$DEFAULTED|$SECRET"'], { cwd: dir, env });
    const second = await runHoku(["local:run", "echo $SECRET"], { cwd: dir, env });
    const [dyno, ps, port, greeting, defaulted, secret] = first.stdout.trim().split("|");
    expect(dyno).toMatch(/^run\.\d{4}$/);
    expect(ps).toBe(dyno!);
    expect(port).toBe("5006");
    expect(greeting).toBe("from-env");
    expect(defaulted).toBe("from-app-json");
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(second.stdout.trim()).toBe(secret!);
  });

  test("arguments are passed through, options included, and joined as on Heroku", async () => {
    const dir = app();
    expect((await runHoku(["run", "echo", "-n", "a", "b"], { cwd: dir })).stdout).toBe("a b");
    expect((await runHoku(["run", "ls", "-a"], { cwd: dir })).stdout).toContain(".env");
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
