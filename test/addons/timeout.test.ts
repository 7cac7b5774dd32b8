/**
 * --addon-timeout bounds the whole add-on start, the providers' own work included: a
 * docker pull that hangs (a registry on 127.0.0.1 that accepts and never answers; the
 * real engine pulls from it) and an add-on that never answers (a hoku.json command that
 * never listens) both end at the timeout with a clear error, and nothing is left running.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { appIdentity, cleanupDocker, cleanupNative, complete, containersOf, makeAddonsApp, nativeProcesses, readyPids, REDIS_IMAGE } from "../helpers/addons.ts";
import { HOKU, freeBase, killLeftovers, testEnv, waitAllDead } from "../helpers/hoku.ts";

const apps: string[] = [];
const listeners: { stop(closeActive?: boolean): void }[] = [];
afterEach(async () => {
  killLeftovers();
  for (const listener of listeners.splice(0)) listener.stop(true);
  for (const appId of apps.splice(0)) {
    cleanupDocker(appId);
    await cleanupNative(appId);
  }
});

function app(addons: readonly unknown[], hokuJson: unknown) {
  const dir = makeAddonsApp({ addons, hokuJson });
  const env = testEnv({ TESTCONTAINERS_RYUK_DISABLED: "true" });
  const { appId } = appIdentity(dir, env);
  apps.push(appId);
  return { dir, env, appId };
}

/** hoku start with a 3 s add-on timeout, to its end; how long it took. */
async function startTimed(dir: string, env: Record<string, string>, extra: string[] = []) {
  const began = performance.now();
  const result = await complete([HOKU], ["start", "--no-tui", "--color", "never", "--addon-timeout", "3s", "-p", String(await freeBase()), ...extra], { cwd: dir, env }, 60_000);
  return { ...result, seconds: (performance.now() - began) / 1000 };
}

describe("--addon-timeout", () => {
  test("a docker pull that hangs ends at the timeout with the image named and the fix; no add-on or dyno is left", async () => {
    const registry = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    listeners.push(registry);
    const image = `127.0.0.1:${registry.port}/hoku/never:1`;
    const { dir, env, appId } = app(["heroku-redis", "heroku-postgresql"], { images: { "heroku-redis": REDIS_IMAGE, "heroku-postgresql": image } });
    const { code, output, seconds } = await startTimed(dir, env);
    expect(code).toBe(1);
    expect(seconds).toBeLessThan(8);
    expect(output).toContain(`hoku: pulling ${image} (it is not here yet)\n`);
    expect(output).toContain(`pulling ${image} did not finish within 3 s (--addon-timeout)\n    hint: docker pull ${image} (or docker load) before hoku start, raise --addon-timeout, or run with --addons native|embedded`);
    expect(output).not.toContain("ready in");
    expect(output).not.toContain("web.1");
    expect(containersOf(appId)).toEqual([]);
  });

  test("a hoku.json command that never listens: not ready at the timeout, with its last lines; the Redis already up is stopped", async () => {
    const { dir, env, appId } = app(["heroku-redis", "mute-box"], {
      services: { "mute-box": { command: "echo waiting on port {port}; exec sleep 600", vars: { MUTE_BOX_URL: "tcp://{host}:{port}" } } },
    });
    const { code, output, seconds } = await startTimed(dir, env, ["--addons", "native"]);
    expect(code).toBe(1);
    expect(seconds).toBeLessThan(8);
    expect(output).toMatch(/hoku: heroku-redis redis-\S+ ready in [\d.]+ s on 127\.0\.0\.1:\d+ \(pid \d+\)/);
    expect(output).toContain("an add-on did not start; the others were stopped:\n");
    expect(output).toMatch(/mute-box-\S+ \(mute-box via native\) was not ready after 3 s; its last lines:\n {4}waiting on port \d+\n/);
    expect(output).not.toContain("web.1");
    expect(await waitAllDead(readyPids(output), 5000)).toEqual([]);
    expect(nativeProcesses(appId)).toEqual([]);
  });
});
