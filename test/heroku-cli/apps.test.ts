/**
 * The real heroku CLI's app commands against hoku, with the lines it prints against Heroku:
 * apps and apps:create/info/rename/destroy, git:remote, config*, releases*, maintenance*,
 * features* and labs, buildpacks*, domains*, and what cannot work offline (login, ps:exec,
 * authorizations:create, --manifest, endpoints hoku lacks), each a clear answer, never a hang.
 * One platform for the file; independent calls run side by side (each is ~1.5 s of node).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { git, gitApp, startTestPlatform, type TestPlatform } from "../helpers/platform.ts";
import { type HerokuCli, herokuCliFor } from "../helpers/heroku-cli.ts";

let platform: TestPlatform;
let cli: HerokuCli;
beforeAll(async () => {
  platform = await startTestPlatform();
  cli = await herokuCliFor(platform);
});
afterAll(async () => {
  await platform?.stop();
});

const heroku = (...args: string[]) => cli.heroku(args);
/** The lines a command printed, each without its trailing spaces. */
const lines = (text: string) => text.split("\n").map((l) => l.trimEnd());

describe("the heroku CLI's app commands against hoku", () => {
  let repo = "";
  let random = "";
  const tls = () => `https://127.0.0.1:${platform.tlsPort}`;
  const router = (app: string) => `http://${app}.localhost:${platform.routerPort}/`;

  test("apps:create NAME in a git repository adds the heroku remote; with no name, a random one", async () => {
    repo = gitApp({ Procfile: "web: python3 -m http.server $PORT\n" }, cli.env);
    const [named, unnamed] = await Promise.all([cli.heroku(["apps:create", "apps-demo"], { cwd: repo }), heroku("apps:create")]);
    expect(named.stderr).toContain("Creating apps-demo... done");
    expect(named.stdout).toBe(`${router("apps-demo")} | ${tls()}/apps-demo.git\n`);
    expect(named.code).toBe(0);
    expect(git(repo, cli.env, ["remote", "get-url", "heroku"]).out.trim()).toBe(`${tls()}/apps-demo.git`);
    // hoku's own commands read that heroku remote too, as it points at this platform (no hoku remote here).
    const info = await platform.hoku(["apps:info"], { cwd: repo });
    expect(info.stdout).toContain("=== ⬢ apps-demo");
    expect(info.code).toBe(0);
    random = /Creating app\.\.\. done, ([a-z]+-[a-z]+-\d{5})\n/.exec(unnamed.stderr)?.[1] ?? "";
    expect(random).not.toBe("");
    expect(unnamed.stdout).toBe(`${router(random)} | ${tls()}/${random}.git\n`);
    expect(unnamed.code).toBe(0);
  }, 60_000);

  test("apps lists them; apps:info as a table, -s and --json; git:remote -a sets the remote", async () => {
    const other = gitApp({ "README.md": "x\n" }, cli.env);
    const [apps, info, shell, json, remote, taken] = await Promise.all([
      heroku("apps"),
      heroku("apps:info", "-a", "apps-demo"),
      heroku("apps:info", "-s", "-a", "apps-demo"),
      heroku("apps:info", "--json", "-a", "apps-demo"),
      cli.heroku(["git:remote", "-a", "apps-demo"], { cwd: other }),
      heroku("apps:create", "apps-demo"),
    ]);
    expect(apps.stdout).toMatch(new RegExp(`^=== \\S+@localhost Apps\n\n${[random, "apps-demo"].sort().join("\n")}\n$`));
    expect(lines(info.stdout)).toEqual([
      "=== apps-demo",
      "",
      "Auto Cert Mgmt: false",
      `Git URL:        ${tls()}/apps-demo.git`,
      `Web URL:        ${router("apps-demo")}`,
      "Repo Size:      0 B",
      "Slug Size:      0 B",
      expect.stringMatching(/^Owner: {10}\S+@localhost$/),
      "Region:         us",
      "Dynos:",
      "Stack:          heroku-24",
      "",
    ]);
    expect(shell.stdout).toContain(`git_url=${tls()}/apps-demo.git\nweb_url=${router("apps-demo")}\n`);
    expect(shell.stdout).toContain("region=us\ndynos={}\nstack=heroku-24\n");
    const parsed = JSON.parse(json.stdout) as { app: { name: string; created_at: string; maintenance: boolean }; collaborators: { role: string }[]; pipeline_coupling: null };
    expect(parsed.app).toMatchObject({ name: "apps-demo", maintenance: false });
    expect(parsed.app.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/); // whole seconds, as Heroku's
    expect(parsed.collaborators.map((c) => c.role)).toEqual(["owner"]);
    expect(parsed.pipeline_coupling).toBeNull();
    expect(remote.stdout).toBe(`set git remote heroku to ${tls()}/apps-demo.git\n`);
    expect(git(other, cli.env, ["remote", "get-url", "heroku"]).out.trim()).toBe(`${tls()}/apps-demo.git`);
    expect(taken.stderr).toContain("Error: Name is already taken");
    expect(taken.code).toBe(2);
    for (const r of [apps, info, shell, json, remote]) expect(r.code).toBe(0);
  }, 60_000);

  test("git push, then config:set of several vars (spaces, '='), config, config:get, config:unset", async () => {
    const push = Bun.spawn(["git", "push", "heroku", "main"], { cwd: repo, env: cli.env, stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(push.stdout).text(), new Response(push.stderr).text(), push.exited]);
    expect(out + err).toContain("Released v3");
    expect(code).toBe(0);

    const set = await heroku("config:set", "GREETING=hello world", "EQUATION=a=b", "EMPTY=", "-a", "apps-demo");
    expect(set.stderr).toContain("Setting GREETING, EQUATION, EMPTY and restarting apps-demo... done, v4");
    // The CLI shows the vars it set that have a value (as against Heroku).
    expect(lines(set.stdout)).toEqual(["EQUATION: a=b", "GREETING: hello world", ""]);
    expect(set.code).toBe(0);
    const [config, get, shell] = await Promise.all([heroku("config", "-a", "apps-demo"), heroku("config:get", "GREETING", "-a", "apps-demo"), heroku("config", "-s", "-a", "apps-demo")]);
    expect(lines(config.stdout)).toEqual(["=== apps-demo Config Vars", "", "EMPTY:    ''", "EQUATION: a=b", "GREETING: hello world", ""]);
    expect(get.stdout).toBe("hello world\n");
    expect(shell.stdout).toBe("EMPTY=\nEQUATION='a=b'\nGREETING='hello world'\n");
    const unset = await heroku("config:unset", "EMPTY", "EQUATION", "-a", "apps-demo");
    expect(unset.stderr).toContain("Unsetting EMPTY, EQUATION and restarting apps-demo... done, v5");
    expect(unset.code).toBe(0);
    const bad = await heroku("config:set", "1BAD=x", "-a", "apps-demo");
    expect(bad.stderr.replace(/\s*›\s*/g, " ")).toContain("Invalid config var name: 1BAD. Config var names start with a letter or an underscore"); // the CLI wraps it
    expect(bad.code).not.toBe(0);
  }, 120_000);

  test("releases, releases:info (current and vN), rollback vN and rollback to the previous release", async () => {
    const [releases, current, v3, v4] = await Promise.all([
      heroku("releases", "-a", "apps-demo"),
      heroku("releases:info", "-a", "apps-demo"),
      heroku("releases:info", "v3", "-a", "apps-demo"),
      heroku("releases:info", "v4", "-a", "apps-demo"),
    ]);
    expect(releases.stdout).toContain("=== apps-demo Releases - Current: v5");
    expect(releases.stdout).toMatch(/v5\s+Remove EMPTY, EQUATION config vars\s+\S+@localhost/);
    expect(releases.stdout).toMatch(/v1\s+Initial release/);
    expect(lines(current.stdout)).toEqual([
      "=== Release v5",
      "",
      expect.stringMatching(/^By: {21}\S+@localhost$/),
      "Change:                 Remove EMPTY, EQUATION config vars",
      "Eligible for Rollback?: Yes",
      expect.stringMatching(/^When: {19}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      "",
      "=== v5 Config vars",
      "",
      "GREETING: hello world",
      "",
    ]);
    expect(v3.stdout).toMatch(/Change: +Deploy [0-9a-f]{8}\n/);
    expect(v3.stdout).toContain("=== v3 Config vars\n\n\n");
    // hoku's own releases:info prints what the heroku CLI prints.
    const hoku = (...args: string[]) => platform.hoku(["releases:info", ...args, "-a", "apps-demo"]);
    const [hokuCurrent, hokuV3, hokuV4] = await Promise.all([hoku(), hoku("v3"), hoku("v4")]);
    expect(hokuCurrent.stdout).toBe(current.stdout);
    expect(hokuV3.stdout).toBe(v3.stdout);
    expect(hokuV4.stdout).toBe(v4.stdout); // v4 has EMPTY= (printed '')
    expect(v4.stdout).toContain("''");

    const toV3 = await heroku("releases:rollback", "v3", "-a", "apps-demo");
    expect(toV3.stderr).toContain("Rolling back apps-demo to v3... done, v6");
    expect(toV3.stderr).toContain("Warning: To undo, run: heroku rollback v5");
    expect(toV3.code).toBe(0);
    // No version: the newest eligible release but one (v6 is current, v5 before it).
    const back = await heroku("rollback", "-a", "apps-demo");
    expect(back.stderr).toContain("Rolling back apps-demo to v5... done, v7");
    expect(back.code).toBe(0);
    const [config, initial] = await Promise.all([heroku("config:get", "GREETING", "-a", "apps-demo"), heroku("rollback", "v1", "-a", "apps-demo")]);
    expect(config.stdout).toBe("hello world\n");
    expect(initial.stderr).toContain("Cannot roll back to v1: it has no slug");
    expect(initial.code).toBe(2);
  }, 60_000);

  test("releases:retry runs the release command again in a new release (the formation lists release at 0, as Heroku's does, and it cannot be scaled)", async () => {
    const dir = gitApp({ Procfile: "web: python3 -m http.server $PORT\nrelease: echo migrating in $DYNO\n" }, cli.env);
    expect((await cli.heroku(["apps:create", "retry-demo"], { cwd: dir })).code).toBe(0);
    const push = Bun.spawn(["git", "push", "heroku", "main"], { cwd: dir, env: cli.env, stdout: "pipe", stderr: "pipe" });
    expect(await push.exited).toBe(0);
    const none = await heroku("releases:retry", "-a", "apps-demo");
    expect(none.stderr).toContain("App must have a release-phase command to use this command.");
    const retry = await heroku("releases:retry", "-a", "retry-demo");
    expect(retry.stderr).toContain("Retrying v3 on retry-demo... done, v4");
    expect(retry.stdout).toContain("Running release command...");
    expect(retry.stdout).toMatch(/migrating in release\.\d+/);
    expect(retry.code).toBe(0);
    expect((await heroku("releases", "-a", "retry-demo")).stdout).toMatch(/v4\s+Retry of v3: Deploy [0-9a-f]{8}/);
    const scale = await heroku("ps:scale", "release=1", "-a", "retry-demo");
    expect(scale.stderr).toContain("it cannot be scaled");
    expect(scale.code).not.toBe(0);
    expect((await heroku("apps:destroy", "retry-demo", "--confirm", "retry-demo")).code).toBe(0);
  }, 120_000);

  test("maintenance, maintenance:on and :off store the app's flag; while on, the router serves the maintenance page", async () => {
    const on = await heroku("maintenance:on", "-a", "apps-demo");
    expect(on.stderr).toContain("Enabling maintenance mode for apps-demo... done");
    expect((await heroku("maintenance", "-a", "apps-demo")).stdout).toBe("on\n");
    const page = await platform.http("apps-demo");
    expect(page.status).toBe(503);
    expect(await page.text()).toContain("Offline for Maintenance");
    const off = await heroku("maintenance:off", "-a", "apps-demo");
    expect(off.stderr).toContain("Disabling maintenance mode for apps-demo... done");
    expect((await heroku("maintenance", "-a", "apps-demo")).stdout).toBe("off\n");
    await platform.served("apps-demo", /^200 /);
  }, 60_000);

  test("features, features:info, features:enable/disable; labs lists the Labs ones", async () => {
    const [list, info] = await Promise.all([heroku("features", "-a", random), heroku("features:info", "preboot", "-a", random)]);
    expect(lines(list.stdout)).toEqual([`=== App Features ${random}`, "", "[ ] preboot  Provide seamless web dyno deploys", ""]);
    expect(lines(info.stdout)).toEqual(["=== preboot", "", "Description: Provide seamless web dyno deploys", "Docs:        https://devcenter.heroku.com/articles/preboot", "Enabled:     false", ""]);
    const [preboot, metadata] = await Promise.all([heroku("features:enable", "preboot", "-a", random), heroku("labs:enable", "runtime-dyno-metadata", "-a", random)]);
    expect(preboot.stderr).toContain(`Enabling preboot for ${random}... done`);
    expect(metadata.stderr).toContain(`Enabling runtime-dyno-metadata for ${random}... done`);
    const [enabled, again, labs, json] = await Promise.all([
      heroku("features", "-a", random),
      heroku("features:enable", "preboot", "-a", random),
      heroku("labs", "-a", random),
      heroku("features:info", "runtime-dyno-metadata", "--json", "-a", random),
    ]);
    expect(enabled.stdout).toContain("[+] preboot  Provide seamless web dyno deploys\n");
    expect(again.stderr).toContain("Error: preboot is already enabled.");
    expect(again.code).toBe(1);
    expect(labs.stdout).toMatch(/\[\+\] runtime-dyno-metadata +Provide dyno metadata in environment variables\n/);
    expect(labs.stdout).toMatch(/\[ \] runtime-dyno-build-metadata /);
    expect(JSON.parse(json.stdout)).toMatchObject({ name: "runtime-dyno-metadata", enabled: true, state: "beta", doc_url: "https://devcenter.heroku.com/articles/dyno-metadata" });
    const [off, unknown] = await Promise.all([heroku("features:disable", "preboot", "-a", random), heroku("features:info", "no-such-feature", "-a", random)]);
    expect(off.stderr).toContain(`Disabling preboot for ${random}... done`);
    expect(unknown.stderr).toContain("Error: Couldn't find that feature.");
    expect(unknown.code).toBe(2);
  }, 60_000);

  test("buildpacks:set/add/remove/clear and buildpacks, names resolved by hoku's registry", async () => {
    const set = await heroku("buildpacks:set", "heroku/python", "-a", random);
    expect(lines(set.stdout)).toEqual([`Buildpack set. Next release on ${random} will use heroku/python.`, "Run git push heroku main to create a new release using this buildpack.", ""]);
    const added = await heroku("buildpacks:add", "heroku/nodejs", "-a", random);
    expect(added.stdout).toContain(`Buildpack added. Next release on ${random} will use:\n  1. heroku/python\n  2. heroku/nodejs\n`);
    const first = await heroku("buildpacks:add", "--index", "1", "https://github.com/heroku/heroku-buildpack-go", "-a", random);
    expect(first.code).toBe(0);
    const [list, php] = await Promise.all([heroku("buildpacks", "-a", random), heroku("buildpacks:add", "heroku/php", "-a", random)]);
    expect(lines(list.stdout)).toEqual([`=== ${random} Classic Buildpacks (from the Heroku Buildpack Registry)`, "", "1. https://github.com/heroku/heroku-buildpack-go", "2. heroku/python", "3. heroku/nodejs", ""]);
    expect(php.stderr).toContain("Error: hoku has no offline copy of heroku/php");
    expect(php.code).toBe(2);
    const byName = await heroku("buildpacks:remove", "heroku/nodejs", "-a", random);
    expect(byName.stdout).toContain(`Buildpack removed. Next release on ${random} will use:\n  1. https://github.com/heroku/heroku-buildpack-go\n  2. heroku/python\n`);
    const byIndex = await heroku("buildpacks:remove", "-i", "1", "-a", random);
    expect(byIndex.stdout).toContain(`Buildpack removed. Next release on ${random} will use heroku/python.\n`);
    const cleared = await heroku("buildpacks:clear", "-a", random);
    expect(cleared.stdout).toBe(`Buildpacks cleared. Next release on ${random} will detect buildpacks normally.\n`);
    expect((await heroku("buildpacks", "-a", random)).stdout).toBe(`${random} has no Buildpacks.\n`);
  }, 90_000);

  test("domains lists the app's .localhost name; a custom domain is a clear API error", async () => {
    const [domains, added] = await Promise.all([heroku("domains", "-a", random), heroku("domains:add", "www.example.com", "-a", random)]);
    expect(lines(domains.stdout)).toEqual([`=== ${random} Heroku Domain`, "", `${random}.localhost`, ""]);
    expect(domains.code).toBe(0);
    expect(added.stderr).toContain("Error: hoku does not emulate custom domains (www.example.com)");
    expect(added.stderr).toContain("Error ID: not_emulated");
    expect(added.code).toBe(2);
  }, 60_000);

  test("what cannot work offline gets a clear answer: login, ps:exec, authorizations:create, --manifest, an endpoint hoku lacks", async () => {
    const manifestDir = gitApp({ "heroku.yml": "build:\n  docker:\n    web: Dockerfile\n" }, cli.env);
    const [login, exec, authorization, manifest, regions, whoami, token] = await Promise.all([
      heroku("login"),
      heroku("ps:exec", "-a", "apps-demo"),
      heroku("authorizations:create"),
      cli.heroku(["apps:create", "--manifest", "from-manifest"], { cwd: manifestDir }),
      heroku("regions"),
      heroku("auth:whoami"),
      heroku("auth:token"),
    ]);
    expect(login.stderr).toContain("Error: Cannot log in with HEROKU_API_KEY set");
    expect(exec.stderr).toContain("Error: hoku does not emulate Heroku Exec (heroku ps:exec");
    expect(authorization.stderr).toContain("Error: hoku does not emulate heroku login or new authorizations.");
    expect(manifest.stderr).toContain("Error: hoku does not emulate the container stack");
    expect(regions.stderr).toContain("Error: The requested API endpoint was not found: hoku does not emulate GET");
    for (const r of [login, exec, authorization, manifest, regions]) expect(r.code).toBe(2);
    expect(whoami.stdout).toMatch(/^\S+@localhost\n$/);
    expect(token.stdout).toBe(`${cli.env.HEROKU_API_KEY}\n`);
    expect(whoami.code + token.code).toBe(0);
  }, 60_000);

  test("apps:rename updates the heroku remote; apps:destroy --confirm removes the app", async () => {
    const renamed = await cli.heroku(["apps:rename", "apps-renamed", "-a", "apps-demo"], { cwd: repo });
    expect(renamed.stderr).toContain("Renaming apps-demo to apps-renamed... done");
    expect(renamed.stdout).toContain(`${router("apps-renamed")} | ${tls()}/apps-renamed.git\n`);
    expect(renamed.stdout).toContain("Git remote heroku updated\n");
    expect(git(repo, cli.env, ["remote", "get-url", "heroku"]).out.trim()).toBe(`${tls()}/apps-renamed.git`);
    // hoku's own rename, run in that repository, follows the heroku remote too (its https origin kept).
    const own = await platform.hoku(["apps:rename", "apps-renamed2"], { cwd: repo });
    expect(own.stdout).toContain("Git remote heroku updated\n");
    expect(git(repo, cli.env, ["remote", "get-url", "heroku"]).out.trim()).toBe(`${tls()}/apps-renamed2.git`);
    expect((await cli.heroku(["apps:rename", "apps-renamed", "-a", "apps-renamed2"], { cwd: repo })).code).toBe(0);
    const destroyed = await heroku("apps:destroy", "-a", random, "--confirm", random);
    expect(destroyed.stderr).toContain(`Destroying ${random} (including all add-ons)... done`);
    expect(destroyed.code).toBe(0);
    const apps = await heroku("apps");
    expect(apps.stdout).toMatch(/Apps\n\napps-renamed\n$/);
  }, 60_000);
});
