/**
 * Postgres speaks SSL, as Heroku Postgres does: apps written for Heroku connect with
 * `sslmode=require` (node-postgres: `ssl: { rejectUnauthorized: false }`). Per provider,
 * SSL-only clients (psql with sslmode=require, Bun.SQL with `tls: { rejectUnauthorized:
 * false }` and with `?sslmode=require`, which both fail against a server without SSL)
 * get a TLS connection, and a client without SSL still connects. The certificate is
 * hoku's self-signed one, its key 0600 in a 0700 folder.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { addonRecords, appIdentity, BUN, cleanupDocker, cleanupNative, makeAddonsApp, nativePgData } from "../helpers/addons.ts";
import { runHoku, testEnv } from "../helpers/hoku.ts";

const apps: string[] = [];
afterEach(async () => {
  for (const appId of apps.splice(0)) {
    cleanupDocker(appId);
    await cleanupNative(appId);
  }
});

/** An SSL-only client on Bun.SQL, two ways. */
const CLIENT = `
const loose = new Bun.SQL(process.env.DATABASE_URL, { tls: { rejectUnauthorized: false }, max: 1, prepare: false });
console.log("tls option: " + (await loose\`select 1 as one\`)[0].one);
await loose.close();
const strict = new Bun.SQL(process.env.DATABASE_URL + "?sslmode=require", { max: 1, prepare: false });
console.log("sslmode=require: " + (await strict\`select 2 as two\`)[0].two);
await strict.close();
`;

const COMMAND = [
  'psql "$DATABASE_URL?sslmode=require" -Atc "show ssl" -c "\\conninfo"',
  'psql "$DATABASE_URL?sslmode=disable" -Atc "select \'plain ok\'"',
  `${BUN} client.ts`,
].join(" && ");

const nativeEnv = () => testEnv({ PATH: `${process.env.PATH}:/usr/lib/postgresql/15/bin`, TESTCONTAINERS_RYUK_DISABLED: "true" });

/** The mode bits of a file. */
const mode = (path: string) => statSync(path).mode & 0o777;

describe("Postgres over SSL", () => {
  // PGlite is built without SSL: hoku's front does the TLS, and PGlite's own `show ssl` says off.
  test.each([
    ["docker", "on"],
    ["native", "on"],
    ["embedded", "off"],
  ] as const)("via %s: sslmode=require and Bun.SQL with TLS connect over TLS (show ssl: %s); a plain client still connects", async (provider, ssl) => {
    const dir = makeAddonsApp({ addons: ["heroku-postgresql"], files: { "client.ts": CLIENT } });
    const env = nativeEnv();
    const { appId, stateDir } = appIdentity(dir, env);
    apps.push(appId);
    const { code, stdout, stderr } = await runHoku(["run", "--addons", provider, COMMAND], { cwd: dir, env });
    expect(stderr).toContain(`via ${provider}`);
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe(ssl);
    expect(lines[1]).toMatch(/^You are connected to database/);
    expect(lines[2]).toMatch(/^SSL connection \(protocol: TLSv1\.[23], /);
    expect(lines.slice(3, 6)).toEqual(["plain ok", "tls option: 1", "sslmode=require: 2"]);

    const [pg] = addonRecords(stateDir);
    const tls = provider === "native" ? join(nativePgData(appId, stateDir, pg!.name), "..", "tls") : join(stateDir, "addons", pg!.name, "tls");
    expect([mode(tls), mode(join(tls, "key.pem"))]).toEqual([0o700, 0o600]);
  });
});
