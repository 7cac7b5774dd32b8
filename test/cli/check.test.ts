/** `hoku check`: every problem of the Procfile, env files and app.json, with file:line or JSON path and a hint. */
import { describe, expect, test } from "bun:test";
import { makeApp, runHoku } from "../helpers/hoku.ts";

describe("hoku check", () => {
  test("a valid app: one summary line, exit 0", async () => {
    const dir = makeApp({
      Procfile: "web: node web.js\nworker: node worker.js\n",
      ".env": "A=1\nB=2\n",
      "app.json": JSON.stringify({ name: "demo", env: { C: "3" }, addons: ["heroku-postgresql"] }),
    });
    const { code, stdout, stderr } = await runHoku(["check"], { cwd: dir });
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toBe("hoku check: demo is valid: 2 process types (web, worker), 2 env file vars, 1 app.json env var, 1 add-on\n");
  });

  // Each row: the files, then every line the report must contain.
  test.each([
    ["Procfile: bad name", { Procfile: "web: a\nmy.worker: x\n" }, ['Procfile:2: "my.worker" is not a valid process type name: "my.worker: x"', "hint: process type names may contain letters, digits, '-' and '_'"]],
    ["Procfile: stray line", { Procfile: "web: a\njust words\n" }, ['Procfile:2: this line is not a `<type>: <command>` entry: "just words"']],
    ["Procfile: duplicate", { Procfile: "web: a\n\nweb: b\n" }, ['Procfile:3: process type "web" is declared twice, on lines 1 and 3', "hint: give each process type one line"]],
    ["Procfile: empty command", { Procfile: "web:\n" }, ['Procfile:1: process type "web" has an empty command', "hint: give it a command"]],
    ["Procfile: only comments", { Procfile: "# nothing\n" }, ["Procfile: declares no process types", "hint: add a line such as `web: npm start`"]],
    ["Procfile: missing", { "README.md": "x" }, ["Procfile: Procfile not found"]],
    [".env: colon", { Procfile: "web: a\n", ".env": "OK=1\nFOO: bar\n" }, [".env:2: `FOO: bar` uses ':' where '=' is expected", "hint: write `FOO=bar`"]],
    [".env: unterminated quote", { Procfile: "web: a\n", ".env": 'A="open\nB=1\n' }, ['.env:1: `A="open`: the " opened here is never closed']],
    [".env: bad key", { Procfile: "web: a\n", ".env": "1FOO=x\n" }, [".env:1:"]],
    ["app.json: invalid JSON", { Procfile: "web: a\n", "app.json": '{\n  "name": "x",\n}\n' }, ["app.json:2: invalid JSON: trailing comma", "hint: JSON does not allow a comma after the last item"]],
    ["app.json: an add-on entry hoku cannot start", { Procfile: "web: a\n", "app.json": '{\n  "addons": [7]\n}\n' }, ["app.json:2 /addons/0:"]],
    ["app.json: formation for an unknown type (warning) plus an error", { Procfile: "web: a\nweb: b\n", "app.json": '{"formation": {"clock": {"quantity": 1}}}' }, ['app.json /formation/clock: warning: formation names process type "clock"', "Procfile:2:"]],
  ])("%s", async (_name, files, expected) => {
    const { code, stdout, stderr } = await runHoku(["check"], { cwd: makeApp(files as Record<string, string>) });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    for (const line of expected) expect(stderr).toContain(line);
    expect(stderr).toMatch(/hoku check: \d+ problems? found in /);
  });

  test("every problem of every file is listed at once", async () => {
    const dir = makeApp({ Procfile: "web: a\nbad line\nweb: c\n", ".env": "X: 1\nY: 2\n", "app.json": '{"foo": 1, "addons": [1, 2]}' });
    const { code, stderr } = await runHoku(["check"], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toContain("hoku check: 6 problems found in ");
    expect(stderr).toContain('app.json:1 /: warning: unknown key "foo"');
  });

  test("app.json problems outside its add-ons are warnings, as hoku start sees them (heroku local ignores app.json)", async () => {
    const dir = makeApp({ Procfile: "web: a\n", "app.json": '{\n  "nmae": "x",\n  "env": {"lower": "1"}\n}\n' });
    const { code, stdout, stderr } = await runHoku(["check"], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toContain("is valid");
    expect(stderr).toContain('app.json:2 /: warning: unknown key "nmae"');
    expect(stderr).toContain("hint: allowed keys: name, description");
    expect(stderr).toContain('app.json:3 /env: warning: env var name "lower" in env is invalid');
    expect(stderr).toContain("(hoku apps:setup) would be refused");
  });

  test("required app.json vars no env file sets are one note, not an error (app.json env is the deployed app's)", async () => {
    const dir = makeApp({ Procfile: "web: a\n", ".env": "SET=1\n", "app.json": '{"env": {"API_KEY": {"required": true}, "SET": {"required": true}, "DEFAULTED": "x"}}' });
    const { code, stdout, stderr } = await runHoku(["check"], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toContain("is valid");
    expect(stderr).toBe("hoku: app.json lists required config vars that no env file sets: API_KEY (app.json env is for the deployed app; locally, set them in .env if the app needs them)\n");
  });

  test("env-file references: add-on vars count as set, anything else set nowhere is a warning with file and line", async () => {
    const dir = makeApp({
      Procfile: "web: a\n",
      ".env": "DATABASE_URI=${DATABASE_URL}\nCACHE=${REDIS_URL}\nOTHER=${NOT_SET_ANYWHERE_X}\n",
      "app.json": '{"addons": ["heroku-postgresql"]}',
    });
    const { code, stderr } = await runHoku(["check"], { cwd: dir });
    expect(code).toBe(0);
    expect(stderr).not.toContain("DATABASE_URL is set nowhere");
    expect(stderr).toContain(".env:2: warning: REDIS_URL is set nowhere");
    expect(stderr).toContain(".env:3: warning: NOT_SET_ANYWHERE_X is set nowhere");
  });

  test("-e names env files; a missing one is a problem", async () => {
    const dir = makeApp({ Procfile: "web: a\n", "dev.env": "A=1\n" });
    expect((await runHoku(["check", "-e", "dev.env"], { cwd: dir })).code).toBe(0);
    const missing = await runHoku(["check", "-e", "dev.env,prod.env"], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("prod.env: env file not found");
  });
});
