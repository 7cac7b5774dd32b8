/**
 * heroku-redis with TLS asked for (`"options": {"tls": true}`): REDIS_URL stays redis://,
 * REDIS_TLS_URL is rediss:// on a second port with a self-signed certificate (heroku-fidelity
 * CA-4: clients skip verification). Real redis-server, real redis-cli over TLS, per provider.
 * Postgres's SSL is in ssl.test.ts.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { join } from "node:path";
import { addonRecords, appIdentity, cleanupDocker, cleanupNative, makeAddonsApp } from "../helpers/addons.ts";
import { runHoku, testEnv } from "../helpers/hoku.ts";

const apps: string[] = [];
afterEach(async () => {
  for (const appId of apps.splice(0)) {
    cleanupDocker(appId);
    await cleanupNative(appId);
  }
});

const PING = 'echo "$REDIS_URL|$REDIS_TLS_URL"; redis-cli --tls --insecure --no-auth-warning -u "$REDIS_TLS_URL" ping; redis-cli --no-auth-warning -u "$REDIS_URL" ping';

describe("heroku-redis with TLS", () => {
  test.each(["docker", "native"])("via %s: REDIS_TLS_URL answers over TLS, REDIS_URL in the clear", async (provider) => {
    const dir = makeAddonsApp({ addons: [{ plan: "heroku-redis", options: { tls: true } }] });
    const env = testEnv({ TESTCONTAINERS_RYUK_DISABLED: "true" });
    const { appId, stateDir } = appIdentity(dir, env);
    apps.push(appId);
    const { code, stdout, stderr } = await runHoku(["run", "--addons", provider, PING], { cwd: dir, env });
    expect(stderr).toContain(`via ${provider}`);
    expect(code).toBe(0);
    const [urls, tlsPing, plainPing] = stdout.trim().split("\n");
    const [plain, secure] = urls!.split("|");
    expect(plain).toMatch(/^redis:\/\/default:[0-9a-f]+@127\.0\.0\.1:\d+$/);
    expect(secure).toMatch(/^rediss:\/\/default:[0-9a-f]+@127\.0\.0\.1:\d+$/);
    expect(new URL(secure!).port).not.toBe(new URL(plain!).port);
    expect(tlsPing).toBe("PONG");
    expect(plainPing).toBe("PONG");
    // The key is hoku's only (docker copies it into the container for the server's user).
    const tls = join(stateDir, "addons", addonRecords(stateDir)[0]!.name, "tls");
    expect([statSync(tls).mode & 0o777, statSync(join(tls, "key.pem")).mode & 0o777]).toEqual([0o700, 0o600]);
  });

  test("without TLS asked for there is no REDIS_TLS_URL", async () => {
    const dir = makeAddonsApp({ addons: ["heroku-redis"] });
    const env = testEnv({ TESTCONTAINERS_RYUK_DISABLED: "true" });
    apps.push(appIdentity(dir, env).appId);
    const { code, stdout } = await runHoku(["run", "--addons", "native", 'echo "[$REDIS_TLS_URL]"'], { cwd: dir, env });
    expect(code).toBe(0);
    expect(stdout.trim()).toBe("[]");
  });
});
