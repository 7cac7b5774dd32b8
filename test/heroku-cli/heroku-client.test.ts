/**
 * The npm `heroku-client` package (pinned 3.1.4) against hoku's platform: it sends Basic auth
 * (`:token`) and `Range: id ..; max=1000` on every request, and follows Next-Range. Apps, config
 * vars, releases, formation, add-ons and attachments, and the Heroku Postgres API; in node over
 * TLS (the local CA as SSL_CERT_FILE) as well as over plain HTTP. One platform for the file.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join, resolve } from "node:path";
import Heroku from "heroku-client";
import { startTestPlatform, type TestPlatform } from "../helpers/platform.ts";

let platform: TestPlatform;
let token = "";
let heroku: Heroku;
beforeAll(async () => {
  platform = await startTestPlatform();
  token = (await platform.hoku(["auth:token"])).stdout.trim();
  heroku = new Heroku({ token, host: `http://127.0.0.1:${platform.port}` });
});
afterAll(async () => {
  await platform?.stop();
});

interface Named {
  readonly id: string;
  readonly name: string;
}

/** heroku-client's rejection: the status and Heroku's error body. */
async function failure(request: Promise<unknown>): Promise<{ statusCode: number; body: { id: string; message: string } }> {
  return request.then(
    () => { throw new Error("expected the request to fail"); },
    (error: { statusCode: number; body: { id: string; message: string } }) => error,
  );
}

describe("heroku-client against hoku", () => {
  test("Basic auth with the platform's token; another token is a 401 with Heroku's error body", async () => {
    expect((await heroku.get<{ email: string }>("/account")).email).toMatch(/@localhost$/);
    const wrong = await failure(new Heroku({ token: "nope", host: `http://127.0.0.1:${platform.port}` }).get("/account"));
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toEqual({ id: "unauthorized", message: "Invalid credentials provided." });
  });

  test("apps: create, and list a page at a time: heroku-client follows Next-Range to the end", async () => {
    for (const name of ["client-a", "client-b", "client-c"]) expect((await heroku.post<Named>("/apps", { body: { name } })).name).toBe(name);
    const first = await heroku.get<Named[]>("/apps", { headers: { Range: "name ..; max=2" }, partial: true });
    expect(first.map((a) => a.name)).toEqual(["client-a", "client-b"]);
    const raw = await fetch(`http://127.0.0.1:${platform.port}/apps`, { headers: { Authorization: `Bearer ${token}`, Range: "name ..; max=2" } });
    expect(raw.status).toBe(206);
    expect(raw.headers.get("next-range")).toBe("name ]client-b..; max=2, order=asc");
    const all = await heroku.get<Named[]>("/apps", { headers: { Range: "name ..; max=2" } });
    expect(all.map((a) => a.name)).toEqual(["client-a", "client-b", "client-c"]);
    expect((await heroku.get<Named>("/apps/client-a")).name).toBe("client-a");
  });

  test("config vars and releases: each change is a release; the newest first with Range order=desc", async () => {
    expect(await heroku.patch("/apps/client-a/config-vars", { body: { FOO: "bar", GONE: "soon" } })).toEqual({ FOO: "bar", GONE: "soon" });
    expect(await heroku.patch("/apps/client-a/config-vars", { body: { GONE: null } })).toEqual({ FOO: "bar" });
    expect(await heroku.get("/apps/client-a/config-vars")).toEqual({ FOO: "bar" });
    const [newest] = await heroku.get<{ version: number; description: string }[]>("/apps/client-a/releases", { headers: { Range: "version ..; max=1, order=desc" }, partial: true });
    expect(newest).toMatchObject({ version: 4, description: "Remove GONE config vars" });
    const every = await heroku.get<{ version: number }[]>("/apps/client-a/releases", { headers: { Range: "version ..; max=2" } });
    expect(every.map((r) => r.version)).toEqual([1, 2, 3, 4]);
  });

  test("formation: set before the first deploy (as apps:setup does), listed with heroku-client's own Range", async () => {
    const scaled = await heroku.patch<{ type: string; quantity: number }[]>("/apps/client-a/formation", { body: { updates: [{ type: "worker", quantity: 2, size: "Basic" }] } });
    expect(scaled.map((f) => [f.type, f.quantity])).toEqual([["worker", 2]]);
    expect((await heroku.get<{ type: string; quantity: number; size: string }[]>("/apps/client-a/formation")).map((f) => `${f.type}=${f.quantity}:${f.size}`)).toEqual(["worker=2:Basic"]);
  });

  test("add-ons and attachments: create, list a page at a time, attach to another app, resolve, detach", async () => {
    const redis = await heroku.post<Named & { config_vars: string[]; state: string; plan: { name: string } }>("/apps/client-a/addons", { body: { plan: { name: "heroku-redis" } } });
    expect(redis).toMatchObject({ config_vars: ["REDIS_URL"], state: "provisioned", plan: { name: "heroku-redis:mini" } });
    expect((await heroku.get<Named[]>("/apps/client-a/addons")).map((a) => a.name)).toEqual([redis.name]);

    const shared = await heroku.post<Named & { config_vars: string[] }>("/addon-attachments", { body: { addon: { name: redis.name }, app: { name: "client-b" }, name: "SHARED" } });
    expect(shared).toMatchObject({ name: "SHARED", config_vars: ["SHARED_URL"] });
    const config = await heroku.get<Record<string, string>>("/apps/client-b/config-vars");
    expect(config.SHARED_URL).toBe((await heroku.get<Record<string, string>>("/apps/client-a/config-vars")).REDIS_URL!);

    const attachments = await heroku.get<(Named & { app: Named })[]>("/addon-attachments", { headers: { Range: "name ..; max=1" } });
    expect(attachments.map((a) => `${a.app.name}::${a.name}`)).toEqual(["client-a::REDIS", "client-b::SHARED"]);
    const resolved = await heroku.post<Named[]>("/actions/addons/resolve", { body: { addon: "SHARED", app: "client-b" } });
    expect(resolved.map((a) => a.name)).toEqual([redis.name]);
    const missing = await failure(heroku.post("/actions/addon-attachments/resolve", { body: { addon_attachment: "NOPE", app: "client-b" } }));
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toMatchObject({ id: "not_found", resource: "add_on attachment" });

    await heroku.delete(`/addon-attachments/${shared.id}`);
    expect((await heroku.get<Record<string, string>>("/apps/client-b/config-vars")).SHARED_URL).toBeUndefined();
    const released = await heroku.get<{ description: string }[]>("/apps/client-b/releases", { headers: { Range: "version ..; order=desc" } });
    expect(released.slice(0, 2).map((r) => r.description)).toEqual([`Detach SHARED (@ref:${redis.name})`, `Attach SHARED (@ref:${redis.name})`]);
  }, 60_000);

  test("the Heroku Postgres API: a database's info, a backup, the app's transfers", async () => {
    const pg = await heroku.post<Named>("/apps/client-c/addons", { body: { plan: { name: "heroku-postgresql" } } });
    const database = await heroku.get<{ info: { name: string; values: string[] }[] }>(`/client/v11/databases/${pg.id}`);
    expect(database.info.find((i) => i.name === "Status")?.values).toEqual(["Available"]);
    const backup = await heroku.post<{ uuid: string; num: number; succeeded: boolean; from_name: string }>(`/client/v11/databases/${pg.id}/backups`);
    expect(backup).toMatchObject({ num: 1, succeeded: true, from_name: "DATABASE" });
    const transfers = await heroku.get<{ uuid: string; to_type: string }[]>("/client/v11/apps/client-c/transfers");
    expect(transfers.map((t) => [t.uuid, t.to_type])).toEqual([[backup.uuid, "gof3r"]]);
  }, 60_000);

  test("in node over TLS, trusting the platform's CA through SSL_CERT_FILE", async () => {
    const script = `const Heroku = require(${JSON.stringify(resolve(import.meta.dir, "../../node_modules/heroku-client"))});
new Heroku({ token: process.env.TOKEN, host: process.env.HOST }).get("/apps").then((apps) => console.log(apps.map((a) => a.name).join(" ")), (e) => { console.error(e.message); process.exit(1); });`;
    const node = Bun.spawn(["node", "-e", script], {
      env: { PATH: process.env.PATH!, TOKEN: token, HOST: `https://127.0.0.1:${platform.tlsPort}`, SSL_CERT_FILE: join(platform.env.XDG_STATE_HOME!, "hoku", "platform", "tls", "ca.pem") },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [out, err, code] = await Promise.all([new Response(node.stdout).text(), new Response(node.stderr).text(), node.exited]);
    expect(err).toBe("");
    // heroku-client's own Range asks for them by id.
    expect(out.trim().split(" ").sort()).toEqual(["client-a", "client-b", "client-c"]);
    expect(code).toBe(0);
  });
});
