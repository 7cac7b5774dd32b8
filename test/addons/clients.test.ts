/**
 * `hoku pg:psql` and `hoku redis:cli` against native add-ons: the real clients answer, and
 * the add-on's password reaches them through their environment (PGPASSWORD, REDISCLI_AUTH),
 * never their argv, which every local user can read in `ps`. Each client is run through a
 * wrapper on PATH that records its argv and environment, then execs the real one.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { addonRecords, appIdentity, cleanupDocker, cleanupNative, makeAddonsApp } from "../helpers/addons.ts";
import { runHoku, tempDir, testEnv } from "../helpers/hoku.ts";

const apps: string[] = [];
afterEach(async () => {
  for (const appId of apps.splice(0)) {
    await cleanupNative(appId);
    cleanupDocker(appId);
  }
});

/** A folder with `name` wrapping the real client: it writes its argv and `secretVar` to `record`, then execs the client. */
function wrapper(name: string, real: string, secretVar: string): { dir: string; record: string } {
  const dir = tempDir("hoku-wrap-");
  const record = join(dir, "record");
  writeFileSync(join(dir, name), `#!/bin/bash\nprintf 'argv=%s\\n' "$*" > ${record}\nprintf 'secret=%s\\n' "\${${secretVar}:-}" >> ${record}\nexec ${real} "$@"\n`);
  chmodSync(join(dir, name), 0o755);
  return { dir, record };
}

describe("add-on clients get passwords through their environment, never argv", () => {
  test.each([
    ["pg:psql", "heroku-postgresql", "psql", "/usr/lib/postgresql/15/bin/psql", "PGPASSWORD", "select 'answer-' || 42;\n", "answer-42"],
    ["redis:cli", "heroku-redis", "redis-cli", "/usr/bin/redis-cli", "REDISCLI_AUTH", "PING\n", "PONG"],
  ])("hoku %s answers through the real client; the password is in %s's environment, not its argv", async (command, service, client, real, secretVar, input, answer) => {
    const dir = makeAddonsApp({ addons: [service] });
    const wrap = wrapper(client, real, secretVar);
    const env = testEnv({ PATH: `${wrap.dir}:${process.env.PATH}:/usr/lib/postgresql/15/bin`, TESTCONTAINERS_RYUK_DISABLED: "true" });
    apps.push(appIdentity(dir, env).appId);
    const { code, stdout, stderr } = await runHoku([command, "--addons", "native"], { cwd: dir, env, stdin: input });
    expect(stderr).toContain("via native");
    expect(code).toBe(0);
    expect(stdout).toContain(answer);
    const [addon] = addonRecords(appIdentity(dir, env).stateDir) as { password?: string }[];
    const [argv, secret] = readFileSync(wrap.record, "utf8").split("\n");
    expect(addon!.password).toMatch(/^[0-9a-f]{32}$/);
    expect(argv).toStartWith("argv=");
    expect(argv).not.toContain(addon!.password!);
    expect(secret).toBe(`secret=${addon!.password}`);
  }, 90_000);
});
