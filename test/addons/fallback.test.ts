/**
 * A machine without a container engine and without the services' binaries: Postgres
 * falls back to PGlite inside hoku ("embedded"); Redis has nothing to fall back to and
 * says how to fix that; forcing docker without an engine says so too.
 * DOCKER_HOST points at a socket nobody listens on, PATH holds only a few tools, and
 * hoku runs in a mount namespace where /run/docker.sock is /dev/null (Testcontainers'
 * discovery would otherwise find the local engine there whatever DOCKER_HOST says; the
 * last test checks that hoku itself honors DOCKER_HOST).
 */
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { appIdentity, BUN, cleanupDocker, cleanupNative, complete, containersOf, http, LISTENING, makeAddonsApp, noEngineWrapper, restrictedPath } from "../helpers/addons.ts";
import { freeBase, HOKU, killLeftovers, Running, runHoku, testEnv } from "../helpers/hoku.ts";

const TOOLS = ["bash", "sh", "sleep", "env", "cat", "echo", "xargs", "ps", "kill", "id", "ls", "mkdir", "rm", "grep", "sed", "tr", "head", "tail", "true", "false"];
const path = restrictedPath(TOOLS);
const wrapper = noEngineWrapper(HOKU);
afterAll(() => {
  rmSync(path, { recursive: true, force: true });
  rmSync(dirname(wrapper), { recursive: true, force: true });
});

const apps: string[] = [];
afterEach(async () => {
  killLeftovers();
  for (const appId of apps.splice(0)) {
    cleanupDocker(appId);
    await cleanupNative(appId);
  }
});

/** No engine, no postgres/initdb/redis-server/docker on PATH. */
function bareEnv(): Record<string, string> {
  return testEnv({ DOCKER_HOST: "unix:///tmp/hoku-no-docker.sock", PATH: path, TESTCONTAINERS_RYUK_DISABLED: "true" });
}

/** hoku with no engine (see noEngineWrapper), its output merged. */
const hoku = (args: string[], cwd: string, env: Record<string, string>) => new Running(args, { cwd, env, command: [wrapper] });
const hokuDone = (args: string[], cwd: string, env: Record<string, string>) => complete([wrapper], args, { cwd, env });

describe("fallbacks without an engine or binaries", () => {
  test("the setup: no docker, postgres, initdb, redis-server or openssl on PATH, and no engine socket", async () => {
    const dir = makeAddonsApp({ addons: [] });
    const { code, output } = await hokuDone(
      ["run", "for t in docker postgres initdb redis-server openssl bash; do command -v $t >/dev/null && echo has-$t || echo no-$t; done; [ -S /run/docker.sock ] && echo socket || echo no-socket"],
      dir,
      bareEnv(),
    );
    expect(code).toBe(0);
    expect(output.split("\n").filter(Boolean)).toEqual(["no-docker", "no-postgres", "no-initdb", "no-redis-server", "no-openssl", "has-bash", "no-socket"]);
  });

  test("embedded Postgres speaks SSL with nothing installed (its certificate is made without openssl)", async () => {
    const client = 'const sql = new Bun.SQL(process.env.DATABASE_URL + "?sslmode=require", { max: 1, prepare: false }); console.log("over TLS: " + (await sql`select 1 as one`)[0].one);';
    const dir = makeAddonsApp({ addons: ["heroku-postgresql"], files: { "client.ts": client } });
    const e = bareEnv();
    apps.push(appIdentity(dir, e).appId);
    const { code, output } = await hokuDone(["run", `${BUN} client.ts`], dir, e);
    expect(output).toMatch(/via embedded/);
    expect(output).toContain("over TLS: 1");
    expect(code).toBe(0);
  });

  /** Starts the fixture app with heroku-postgresql and no engine; checks it is served via embedded. */
  async function embeddedApp(files: Record<string, string> = {}) {
    const dir = makeAddonsApp({ addons: ["heroku-postgresql"], files });
    const e = bareEnv();
    const { appId } = appIdentity(dir, e);
    apps.push(appId);
    const base = await freeBase();
    const args = ["start", "--no-tui", "--color", "never", "-p", String(base)];
    const started = hoku(args, dir, e);
    await started.waitFor(LISTENING, 90_000);
    expect(started.output).toMatch(/hoku: heroku-postgresql postgresql-\S+ via embedded: docker: no Docker engine answered[^\n]*; native: no initdb\/postgres on PATH; PGlite/);
    expect(started.output).toMatch(/heroku-postgresql postgresql-\S+ ready in [\d.]+ s on 127\.0\.0\.1:\d+ \(PGlite inside hoku\)/);
    return { dir, e, appId, base, args, started };
  }

  test("heroku-postgresql is served via embedded (PGlite); /pg routes work over DATABASE_URL (unnamed statements); data survives a restart", async () => {
    const { dir, e, appId, base, args, started } = await embeddedApp({ ".env": "PG_PREPARE=false\n" });
    expect(await http(base, "POST", "/pg/lang/ts")).toEqual({ status: 200, body: "ok\n" });
    expect(await http(base, "POST", "/pg/lang/bun")).toEqual({ status: 200, body: "ok\n" });
    expect(await http(base, "GET", "/pg/lang")).toEqual({ status: 200, body: "bun" });
    expect((await http(base, "GET", "/pg/none")).status).toBe(404);
    expect(await started.stop()).toBe(143);

    // The data is in hoku's state folder: a second start with the same state has it.
    const second = hoku(args, dir, e);
    await second.waitFor(LISTENING, 90_000);
    expect(await http(base, "GET", "/pg/lang")).toEqual({ status: 200, body: "bun" });
    expect(await second.stop()).toBe(143);
    expect(containersOf(appId)).toEqual([]);
  });

  test("embedded Postgres works for an app using Bun.SQL with its defaults (pool, named prepared statements)", async () => {
    const { base, started } = await embeddedApp();
    expect(await http(base, "POST", "/pg/lang/ts")).toEqual({ status: 200, body: "ok\n" });
    expect(await http(base, "POST", "/pg/lang/bun")).toEqual({ status: 200, body: "ok\n" });
    expect(await http(base, "GET", "/pg/lang")).toEqual({ status: 200, body: "bun" });
    expect(await started.stop()).toBe(143);
  });

  test("heroku-redis with no engine and no redis-server: exit 1 naming redis and the fix, no dyno started", async () => {
    const dir = makeAddonsApp({ addons: ["heroku-postgresql", "heroku-redis"] });
    const e = bareEnv();
    apps.push(appIdentity(dir, e).appId);
    const { code, output } = await hokuDone(["start", "--no-tui", "-p", String(await freeBase())], dir, e);
    expect(code).toBe(1);
    expect(output).toMatch(/no provider can run heroku-redis: docker: no Docker engine answered[^\n]*; native: no redis-server on PATH; embedded: no embedded redis/);
    expect(output).toContain("hint: install Docker or Debian's redis-server (apt-get install redis-server)");
    expect(output).not.toContain("listening");
    expect(output).not.toContain("ready in");
  });

  test("--addons docker forced with no engine: exit 1 with the fix", async () => {
    const dir = makeAddonsApp({ addons: ["heroku-postgresql"] });
    const e = bareEnv();
    apps.push(appIdentity(dir, e).appId);
    const { code, output } = await hokuDone(["start", "--no-tui", "--addons", "docker", "-p", String(await freeBase())], dir, e);
    expect(code).toBe(1);
    expect(output).toMatch(/no provider can run heroku-postgresql: docker: no Docker engine answered/);
    expect(output).toContain("hint: docker cannot run heroku-postgresql here; start Docker (or set DOCKER_HOST), or drop --addons");
    expect(output).not.toContain("via embedded");
    expect(output).not.toContain("listening");
  });

  test("DOCKER_HOST naming a dead socket means no engine, even when /var/run/docker.sock answers", async () => {
    const dir = makeAddonsApp({ addons: ["heroku-postgresql"] });
    const e = bareEnv();
    const { appId } = appIdentity(dir, e);
    apps.push(appId);
    const plain = new Running(["start", "--no-tui", "-p", String(await freeBase())], { cwd: dir, env: e });
    await plain.waitFor(/via (docker|embedded)/, 30_000);
    expect(plain.output).toMatch(/via embedded: docker: no Docker engine answered/);
    await plain.stop();
    expect(containersOf(appId)).toEqual([]);
  });
});

describe("an add-on's data stays with the provider that has it", () => {
  const create = 'const sql = new Bun.SQL(process.env.DATABASE_URL, { max: 1, prepare: false }); await sql`create table keepme (x int)`; console.log("created");';
  const count = 'const sql = new Bun.SQL(process.env.DATABASE_URL, { max: 1, prepare: false }); console.log("kept " + (await sql`select count(*)::int as n from keepme`)[0].n);';

  test("a start without --addons uses the provider that served the add-on last, not the first available one (another would start it empty)", async () => {
    const dir = makeAddonsApp({ addons: ["heroku-postgresql"], files: { "create.ts": create, "count.ts": count } });
    const e = testEnv({ TESTCONTAINERS_RYUK_DISABLED: "true" }); // this machine's engine and binaries: docker comes first
    apps.push(appIdentity(dir, e).appId);
    const first = await complete([HOKU], ["run", "--addons", "embedded", `${BUN} create.ts`], { cwd: dir, env: e });
    expect(first.output).toMatch(/via embedded/);
    expect(first.output).toContain("created");
    const again = await complete([HOKU], ["run", `${BUN} count.ts`], { cwd: dir, env: e });
    expect(again.output).toMatch(/heroku-postgresql \S+ via embedded: .*\(its data is there\)/);
    expect(again.output).toContain("kept 0");
    expect(again.code).toBe(0);
    // A start forced elsewhere once does not move the data's record: the next plain start is embedded again.
    expect((await complete([HOKU], ["run", "--addons", "native", "true"], { cwd: dir, env: e })).output).toMatch(/via native: .*; not the data it had on embedded/);
    expect((await complete([HOKU], ["run", `${BUN} count.ts`], { cwd: dir, env: e })).output).toMatch(/via embedded: [^\n]*\(its data is there\)[^]*kept 0/);
  });

  test("when that provider cannot run it, the start stops and names both fixes; --addons runs it elsewhere, said as not its data", async () => {
    const dir = makeAddonsApp({ addons: ["heroku-postgresql"] });
    const e = testEnv({ TESTCONTAINERS_RYUK_DISABLED: "true" });
    apps.push(appIdentity(dir, e).appId);
    expect((await complete([HOKU], ["run", "--addons", "native", "true"], { cwd: dir, env: e })).output).toMatch(/via native/);
    const bareSameState = { ...bareEnv(), XDG_STATE_HOME: e.XDG_STATE_HOME! }; // no postgres binaries now, the same records
    const bare = await hokuDone(["run", "true"], dir, bareSameState);
    expect(bare.code).toBe(1);
    expect(bare.output).toContain("heroku-postgresql's data is on native, which cannot run it now");
    expect(bare.output).toMatch(/hint: .*; or --addons docker\|embedded runs it from that provider's own data instead/);
    const elsewhere = await hokuDone(["run", "--addons", "embedded", "true"], dir, bareSameState);
    expect(elsewhere.output).toMatch(/via embedded: .*; not the data it had on native/);
    expect(elsewhere.code).toBe(0);
  });
});
