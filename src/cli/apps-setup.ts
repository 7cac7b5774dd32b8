/**
 * `hoku apps:setup [DIR]`: what a Heroku Button does with an app.json (AJ-2, AJ-3, AJ-8, AJ-9):
 * a new app with app.json's config vars (required ones given with --env KEY=value, `generator:
 * secret` ones generated), add-ons, formation and buildpacks, then the first build of DIR, then
 * `scripts.postdeploy`, once, in a one-off dyno. An invalid app.json, or a required var without
 * a value, creates nothing and lists every problem.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseAppJson } from "../app/app-json.ts";
import { composeEnv } from "../app/dyno-env.ts";
import { errorsIn, formatProblem, HokuError } from "../app/problem.ts";
import { deploy } from "../deploy/git-hook.ts";
import { hokuCommand, PlatformClient } from "../platform/client.ts";
import { DYNO_SIZE } from "../platform/dyno-size.ts";
import { inGitRepo, setRemote } from "../platform/git-remote.ts";
import { generateSecret } from "../platform/secrets.ts";
import { action } from "./action.ts";
import { say } from "./load.ts";
import { runDeployed } from "./run-deployed.ts";

const out = (line = "") => console.log(line);

export async function appsSetup(dirArg: string | undefined, flags: { name?: string; env?: string[] }): Promise<number> {
  const dir = resolve(dirArg ?? ".");
  const file = join(dir, "app.json");
  if (!existsSync(file)) throw new HokuError(`${file} not found\n    hint: apps:setup sets an app up from its app.json; hoku apps:create makes an empty one`);
  const parsed = parseAppJson(readFileSync(file, "utf8"), "app.json");
  const given = new Map<string, string>();
  for (const pair of flags.env ?? []) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new HokuError(`--env ${pair}: write KEY=value`);
    given.set(pair.slice(0, at), pair.slice(at + 1));
  }
  const spec = parsed.value;
  const secrets = Object.fromEntries((spec?.env ?? []).filter((v) => v.generator === "secret").map((v) => [v.key, generateSecret()]));
  const env = spec ? composeEnv({ shell: {}, files: given, appJson: spec.env, secrets, appJsonFile: "app.json" }) : { env: {}, problems: [] };
  const errors = errorsIn([...parsed.problems, ...env.problems]);
  if (errors.length > 0 || !spec) throw HokuError.fromProblems(`app setup failed: invalid app.json, nothing was created (${errors.length} ${errors.length === 1 ? "problem" : "problems"})`, errors);

  const client = await PlatformClient.connect(say);
  const app = await action(
    `Creating app from ${file}`,
    () => client.request<{ id: string; name: string; web_url: string; git_url: string }>("POST", "/apps", flags.name ? { name: flags.name } : {}),
    (created) => `done, ⬢ ${created.name}`,
  );
  const path = `/apps/${app.name}`;
  if (spec.buildpacks.length > 0) await client.request("PUT", `${path}/buildpack-installations`, { updates: spec.buildpacks.map((buildpack) => ({ buildpack })) });
  if (Object.keys(env.env).length > 0) await client.request("PATCH", `${path}/config-vars`, env.env);
  for (const addon of spec.addons) {
    const plan = addon.plan ? `${addon.service}:${addon.plan}` : addon.service;
    await action(`Creating ${plan}`, () => client.request("POST", `${path}/addons`, { plan: { name: plan }, attachment: addon.as ? { name: addon.as } : {} }));
  }
  const formation = Object.entries(spec.formation);
  // hoku runs every dyno as Basic (dyno-size.ts): app.json's other sizes are named, not applied.
  const sized = formation.filter(([, f]) => f.size && f.size.toLowerCase() !== DYNO_SIZE.toLowerCase());
  if (sized.length > 0) say(`app.json formation sizes are not applied: ${sized.map(([type, f]) => `${type} ${f.size}`).join(", ")} (hoku runs every dyno as ${DYNO_SIZE})`);
  if (formation.length > 0) await client.request("PATCH", `${path}/formation`, { updates: formation.map(([type, f]) => ({ type, quantity: String(f.quantity) })) });
  if (inGitRepo(dir)) out(`Git remote hoku ${setRemote(dir, app.git_url, hokuCommand())}`);

  out("Building source:");
  const source = mkdtempSync(join(tmpdir(), "hoku-setup-"));
  let code: number;
  try {
    const copy = inGitRepo(dir)
      ? Bun.spawnSync(["sh", "-c", 'git -C "$1" archive --format=tar HEAD | tar -x -C "$2"', "sh", dir, source], { stderr: "pipe" })
      : Bun.spawnSync(["cp", "-a", `${dir}/.`, source], { stderr: "pipe" });
    if (copy.exitCode !== 0) throw new HokuError(`cannot read ${dir}: ${copy.stderr.toString().trim()}`);
    const commit = inGitRepo(dir) ? Bun.spawnSync(["git", "-C", dir, "rev-parse", "HEAD"]).stdout.toString().trim() : crypto.randomUUID().replaceAll("-", "");
    code = await deploy(client.url, client.token, app.id, { commit, ref: "refs/heads/main", sourceDir: source });
  } finally {
    rmSync(source, { recursive: true, force: true });
  }
  if (code !== 0) throw new HokuError(`app setup of ⬢ ${app.name} failed: the build or its release failed (above)\n    hint: fix it and push again: git push hoku main`);
  const postdeploy = spec.scripts.postdeploy;
  if (postdeploy) {
    out("Running postdeploy script...");
    const status = await runDeployed(app.name, [postdeploy], {});
    if (status !== 0) throw new HokuError(`the postdeploy script exited ${status}; ⬢ ${app.name} is deployed, the script does not run again`);
  }
  out(`${app.web_url} | ${app.git_url}`);
  return 0;
}
