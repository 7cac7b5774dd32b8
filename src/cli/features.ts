/**
 * `hoku features`, `features:enable NAME`, `features:disable NAME`: an app's features (preboot),
 * through the Platform API's /apps/{app}/features, printed as the heroku CLI prints them:
 *
 *   === App Features my-app
 *
 *   [+] preboot  Provide seamless web dyno deploys
 *
 * `features` lists the general ones (Heroku Labs ones are `heroku labs`' to list).
 */
import { HokuError } from "../app/problem.ts";
import { PlatformClient } from "../platform/client.ts";
import { action } from "./action.ts";
import { say } from "./load.ts";
import { type AppFlag, targetApp } from "./target.ts";

interface Feature {
  readonly name: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly state: string;
}

export async function features(flags: AppFlag & { json?: boolean }): Promise<number> {
  const app = targetApp(flags);
  const client = await PlatformClient.connect(say);
  const list = (await client.request<Feature[]>("GET", `/apps/${app}/features`)).filter((f) => f.state === "general").sort((a, b) => a.name.localeCompare(b.name));
  if (flags.json) {
    console.log(JSON.stringify(list, null, 2));
    return 0;
  }
  console.log(`=== App Features ${app}`);
  console.log();
  const longest = Math.max(0, ...list.map((f) => f.name.length));
  for (const f of list) console.log(`${f.enabled ? "[+]" : "[ ]"} ${f.name.padEnd(longest)}  ${f.description}`);
  return 0;
}

/** features:enable (`enabled` true) or features:disable: says `Enabling preboot for my-app... done`; one already so is an error, as heroku's. */
export async function setFeature(name: string, enabled: boolean, flags: AppFlag): Promise<number> {
  const app = targetApp(flags);
  const client = await PlatformClient.connect(say);
  const feature = await client.request<Feature>("GET", `/apps/${app}/features/${encodeURIComponent(name)}`);
  if (feature.enabled === enabled) throw new HokuError(`${feature.name} is already ${enabled ? "enabled" : "disabled"}.`);
  await action(`${enabled ? "Enabling" : "Disabling"} ${feature.name} for ${app}`, () => client.request<Feature>("PATCH", `/apps/${app}/features/${encodeURIComponent(feature.name)}`, { enabled }));
  return 0;
}
