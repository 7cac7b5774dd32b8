/** The single binary: runs with no node_modules near it; --version, --help, help <command>. */
import { describe, expect, test } from "bun:test";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { freeBase, HOKU, makeApp, Running, runHoku, tempDir, testEnv } from "../helpers/hoku.ts";

describe("the binary", () => {
  test("copied into an empty folder, it runs an app there", async () => {
    const alone = tempDir("hoku-alone-");
    const copy = join(alone, "hoku");
    copyFileSync(HOKU, copy);
    const version = Bun.spawnSync([copy, "--version"], { cwd: alone, env: testEnv() });
    expect(version.stdout.toString().trim()).toBe(pkg.version);
    const dir = makeApp({ Procfile: "web: echo from-the-copy; exec sleep 60\n", "app.json": '{"name": "alone"}' });
    const hoku = new Running(["start", "-p", String(await freeBase()), "--color", "never"], { cwd: dir });
    hoku.proc.kill("SIGKILL");
    await hoku.exited;
    const copied = Bun.spawn([copy, "start", "-p", String(await freeBase()), "--color", "never"], { cwd: dir, env: testEnv(), stdout: "pipe" });
    const reader = copied.stdout.getReader();
    let seen = "";
    while (!seen.includes("| from-the-copy")) seen += new TextDecoder().decode((await reader.read()).value);
    copied.kill("SIGTERM");
    expect(await copied.exited).toBe(143);
  });

  test("--version, -v, --help, help <command>", async () => {
    const cwd = makeApp({});
    expect((await runHoku(["--version"], { cwd })).stdout.trim()).toBe(pkg.version);
    expect((await runHoku(["-v"], { cwd })).stdout.trim()).toBe(pkg.version);
    const help = await runHoku(["--help"], { cwd });
    // Only the command named on the command line is defined; help still lists every one.
    const commands = ["start|local", "local:version", "run|run:detached", "local:run", "platform", "apps:create|create", "config:set", "ps:scale", "logs", "check", "addons ", "addons:create", "addons:info", "addons:destroy", "pg:promote", "pg:psql", "redis:cli", "pg:backups:capture", "pg:backups:restore"];
    for (const command of commands) expect(help.stdout).toContain(command);
    const start = await runHoku(["help", "start"], { cwd });
    for (const flag of ["--procfile", "--env", "--port", "--formation", "--start-cmd", "--dir", "--timeout", "--exit-on-crash", "--release", "--shell-env-wins", "--no-expand", "--format", "--color", "--no-tui"])
      expect(start.stdout).toContain(flag);
  });

  test("an unknown command or option says so and points at help", async () => {
    const { code, stderr } = await runHoku(["strat"], { cwd: makeApp({}) });
    expect(code).toBe(1);
    expect(stderr).toContain("unknown command 'strat'");
    expect(stderr).toContain("Did you mean start?");
    expect(stderr).toContain("hoku help");
    const help = await runHoku(["help", "nosuch"], { cwd: makeApp({}) });
    expect(help.code).toBe(1);
    expect(help.stderr).toContain("unknown command 'nosuch'");
    expect(help.stdout).toBe("");
  });
});
