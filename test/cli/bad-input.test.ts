/**
 * Bad input never crashes, hangs or is silently accepted: each case is a one-line error that
 * names the file (and line or JSON path) and the fix, with exit 1, from `hoku check` and from
 * `hoku start` alike. Cases from the fault-injection pass of issue 11.
 */
import { describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freeBase, makeApp, runHoku, testEnv } from "../helpers/hoku.ts";

const PROCFILE = "web: exec sleep 60\n";

/** Runs `hoku check` and `hoku start` on the app; both must fail fast with `expected` and no stack trace. */
async function rejects(dir: string, expected: readonly string[], options: { env?: Record<string, string>; args?: string[] } = {}) {
  for (const args of [["check", ...(options.args ?? [])], ["start", "-p", String(await freeBase()), ...(options.args ?? [])]]) {
    const started = performance.now();
    const { code, stderr } = await runHoku(args, { cwd: dir, env: options.env ?? testEnv() });
    // Fails fast: no add-on is started and nothing waits (a wait would take 10 s or more).
    expect(performance.now() - started).toBeLessThan(8000);
    expect(code).toBe(1);
    for (const text of expected) expect(stderr).toContain(text);
    expect(stderr).not.toMatch(/^\s+at /m); // no stack trace
    expect(stderr).not.toContain("Bun v");
  }
}

/**
 * An app.json problem outside `addons`, which `heroku local` would never read: `hoku check` and
 * `hoku run` (the working tree, as `hoku start`) warn with `expected` and go on.
 */
async function warns(dir: string, expected: string) {
  for (const args of [["check"], ["run", "true"]]) {
    const { code, stderr } = await runHoku(args, { cwd: dir, env: testEnv() });
    expect(code).toBe(0);
    expect(stderr).toContain(expected);
    expect(stderr).toContain("heroku local ignores app.json");
  }
}

describe("files that are not regular files, or too big", () => {
  test("a Procfile that is a directory", async () => {
    const dir = makeApp({});
    mkdirSync(join(dir, "Procfile"));
    await rejects(dir, ["Procfile: is a directory, not a file", "hint: replace it with a regular text file"]);
  });

  test("a .env that is a FIFO (reading it would hang)", async () => {
    const dir = makeApp({ Procfile: PROCFILE });
    Bun.spawnSync(["mkfifo", join(dir, ".env")]);
    await rejects(dir, [".env: is a FIFO (named pipe), not a file"]);
  });

  test("an app.json that is /dev/zero (reading it would never end)", async () => {
    const dir = makeApp({ Procfile: PROCFILE });
    symlinkSync("/dev/zero", join(dir, "app.json"));
    await rejects(dir, ["app.json: is a character device, not a file"]);
  });

  test("a .env of 2 MiB", async () => {
    const dir = makeApp({ Procfile: PROCFILE, ".env": `A=${"x".repeat(2 * 1024 * 1024)}\n` });
    await rejects(dir, [".env: is 2.0 MiB; hoku reads at most 1 MiB"]);
  });

  test.skipIf(process.getuid?.() === 0)("an unreadable .env (not as root: root reads everything)", async () => {
    const dir = makeApp({ Procfile: PROCFILE, ".env": "A=1\n" });
    chmodSync(join(dir, ".env"), 0);
    await rejects(dir, [".env: cannot be read: permission denied", "chmod u+r .env"]);
  });
});

describe("NUL bytes, sizes and expansion", () => {
  test.each([
    ["a NUL in a Procfile command", { Procfile: "web: echo a\0b\n" }, "Procfile:1: contains a NUL byte"],
    ["a NUL in a .env key", { Procfile: PROCFILE, ".env": "OK=1\nA\0B=2\n" }, ".env:2: contains a NUL byte"],
    ["a NUL in a .env value", { Procfile: PROCFILE, ".env": "A=x\0y\n" }, ".env:1: contains a NUL byte"],
    ["a .env value of ~1 MB", { Procfile: PROCFILE, ".env": `BIG=${"x".repeat(1_000_000)}\n` }, ".env:1: BIG is 977 KiB; one variable may be at most 128 KiB"],
    ["a .env key of ~1 MB", { Procfile: PROCFILE, ".env": `${"K".repeat(1_000_000)}=1\n` }, "KiB; one variable may be at most 128 KiB"],
  ])("%s", async (_name, files, expected) => {
    await rejects(makeApp(files), [expected]);
  });

  test("a NUL escaped in app.json env: a warning where the working tree runs (heroku local ignores app.json)", async () => {
    await warns(makeApp({ Procfile: PROCFILE, "app.json": '{"env": {"A": "x\\u0000y"}}' }), "app.json:1 /env/A: warning: env.A contains a NUL character");
  });

  test("a doubling chain of references (V1=${V0}${V0} ... V40) stops at 128 KiB, fast", async () => {
    const lines = ["V0=ab", ...Array.from({ length: 40 }, (_, i) => `V${i + 1}=\${V${i}}\${V${i}}`)];
    await rejects(makeApp({ Procfile: PROCFILE, ".env": `${lines.join("\n")}\n` }), [".env:17: V16 is 129 KiB; one variable may be at most 128 KiB"]);
  });

  test("an environment too large for exec (three env files of 0.8 MB) names its largest variables", async () => {
    const files: Record<string, string> = { Procfile: PROCFILE };
    for (const name of ["a", "b", "c"])
      files[`${name}.env`] = Array.from({ length: 8 }, (_, i) => `HUGE_${name}${i}=${"x".repeat(100_000)}\n`).join("");
    files["c.env"] += `HUGE_BIGGEST=${"y".repeat(120_000)}\n`;
    const dir = makeApp(files);
    await rejects(dir, ["environment: the environment is", "too large to start a process", "HUGE_BIGGEST (118 KiB)"], { args: ["-e", "a.env,b.env,c.env"] });
  });
});

describe("structure, numbers and names", () => {
  test("app.json nested 100,000 deep", async () => {
    await rejects(makeApp({ Procfile: PROCFILE, "app.json": `{"a": ${"[".repeat(100_000)}${"]".repeat(100_000)}}` }), ["app.json:1: nested more than 64 levels deep"]);
  });

  test("an app.json formation quantity of 1e300 (Heroku's limit per type is 100): a warning where the working tree runs", async () => {
    const dir = makeApp({ Procfile: PROCFILE, "app.json": '{"formation": {"web": {"quantity": 1e300}}}' });
    await warns(dir, "app.json:1 /formation/web/quantity: warning: formation.web.quantity must be at most 100, not 1e+300");
  });

  test("-m web=1e300 and web=5000 are errors, not 6 GB of dynos", async () => {
    const dir = makeApp({ Procfile: PROCFILE });
    for (const [args, expected] of [
      [["-m", "web=1e300"], '"web=1e300" is not a formation entry'],
      [["web=5000"], '"web=5000" asks for 5000 dynos; hoku start runs at most 1000 of one type'],
    ] as const) {
      const { code, stderr } = await runHoku(["start", ...args], { cwd: dir });
      expect(code).toBe(1);
      expect(stderr).toContain(expected);
    }
  });

  test("a Procfile line of `web:` + 100k spaces + `a\\rb` is parsed in linear time and its CR named", async () => {
    await rejects(makeApp({ Procfile: `web:${" ".repeat(100_000)}a\rb\n` }), ["Procfile:1: a carriage return (\\r) does not end this line", "save it with LF line endings"]);
  });

  test("a .env with CR-only line endings", async () => {
    await rejects(makeApp({ Procfile: PROCFILE, ".env": "A=1\rB=2\r" }), [".env:1: a carriage return (\\r) does not end this line"]);
  });

  test.each([
    ["PORT=abc", '.env:2: PORT "abc" is not a port number'],
    ["PORT=99999", '.env:2: PORT "99999" is not a port number'],
  ])("%s in .env names the file and line", async (line, expected) => {
    const dir = makeApp({ Procfile: PROCFILE, ".env": `A=1\n${line}\n` });
    for (const args of [["check"], ["start"]]) {
      const { code, stderr } = await runHoku(args, { cwd: dir });
      expect(code).toBe(1);
      expect(stderr).toContain(expected);
    }
  });

  test("an add-on `as` that is not a config var name (it once set LD_PRELOAD in every dyno)", async () => {
    const dir = makeApp({ Procfile: PROCFILE, "app.json": '{"addons": [{"plan": "heroku-redis", "as": "LD_PRELOAD=/x.so:Y"}]}' });
    await rejects(dir, ['app.json:1 /addons/0/as: attachment name "LD_PRELOAD=/x.so:Y" in addons[0].as is not a config var name']);
  });

  test("a hoku.json that is a directory", async () => {
    const dir = makeApp({ Procfile: PROCFILE });
    mkdirSync(join(dir, "hoku.json"));
    writeFileSync(join(dir, "hoku.json", "x"), "");
    await rejects(dir, ["hoku.json: is a directory, not a file"]);
  });
});
