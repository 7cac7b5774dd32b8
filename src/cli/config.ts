/**
 * `hoku config`, `config:get`, `config:set`, `config:unset` of a deployed app, printed as the
 * heroku CLI prints them (CA-1): each change is a release and a restart (`done, v11`).
 */
import { HokuError } from "../app/problem.ts";
import { PlatformClient } from "../platform/client.ts";
import { action } from "./action.ts";
import { say } from "./load.ts";
import { type AppFlag, targetApp } from "./target.ts";

const out = (line = "") => console.log(line);

async function latest(client: PlatformClient, app: string): Promise<number> {
  const [release] = await client.request<{ version: number }[]>("GET", `/apps/${app}/releases`, undefined, { Range: "version ..; order=desc,max=1" });
  return release?.version ?? 0;
}

function show(vars: Record<string, string>): void {
  const width = Math.max(0, ...Object.keys(vars).map((k) => k.length)) + 1;
  for (const [key, value] of Object.entries(vars)) out(`${`${key}:`.padEnd(width)} ${value}`);
}

export async function config(flags: AppFlag & { shell?: boolean; json?: boolean }): Promise<number> {
  const app = targetApp(flags);
  const vars = await (await PlatformClient.connect(say)).request<Record<string, string>>("GET", `/apps/${app}/config-vars`);
  if (flags.json) out(JSON.stringify(vars, null, 2));
  else if (flags.shell) for (const [key, value] of Object.entries(vars)) out(`${key}=${/^[A-Za-z0-9_./:@%+,-]*$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`}`);
  else {
    out(`=== ⬢ ${app} Config Vars`);
    out();
    show(vars);
  }
  return 0;
}

export async function configGet(key: string, flags: AppFlag): Promise<number> {
  const vars = await (await PlatformClient.connect(say)).request<Record<string, string>>("GET", `/apps/${targetApp(flags)}/config-vars`);
  out(vars[key] ?? "");
  return 0;
}

export async function configSet(pairs: readonly string[], flags: AppFlag): Promise<number> {
  const app = targetApp(flags);
  const changes: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new HokuError(`${pair} is invalid. Must be in the format FOO=bar.`);
    changes[pair.slice(0, at)] = pair.slice(at + 1);
  }
  if (pairs.length === 0) throw new HokuError("Usage: hoku config:set KEY1=VALUE1 [KEY2=VALUE2 ...]\n    hint: give at least one KEY=value");
  const client = await PlatformClient.connect(say);
  const { vars } = await action(
    `Setting ${Object.keys(changes).join(", ")} and restarting ⬢ ${app}`,
    async () => ({ vars: await client.request<Record<string, string>>("PATCH", `/apps/${app}/config-vars`, changes), version: await latest(client, app) }),
    ({ version }) => `done, v${version}`,
  );
  show(Object.fromEntries(Object.keys(changes).map((k) => [k, vars[k] ?? ""])));
  return 0;
}

export async function configUnset(keys: readonly string[], flags: AppFlag): Promise<number> {
  const app = targetApp(flags);
  if (keys.length === 0) throw new HokuError("Usage: hoku config:unset KEY1 [KEY2 ...]\n    hint: give at least one key");
  const client = await PlatformClient.connect(say);
  await action(
    `Unsetting ${keys.join(", ")} and restarting ⬢ ${app}`,
    async () => {
      await client.request("PATCH", `/apps/${app}/config-vars`, Object.fromEntries(keys.map((k) => [k, null])));
      return latest(client, app);
    },
    (version) => `done, v${version}`,
  );
  return 0;
}
