/**
 * `hoku addons`, `addons:create`, `addons:info`, `addons:destroy` for a deployed app (`-a APP`,
 * or the repository's hoku remote), as `heroku addons` prints them (CA-2).
 */
import { HokuError } from "../app/problem.ts";
import { PlatformClient } from "../platform/client.ts";
import { action } from "./action.ts";
import { say } from "./load.ts";

interface AddonShape {
  readonly name: string;
  readonly plan: { name: string };
  readonly config_vars: readonly string[];
  readonly state: string;
  readonly created_at: string;
}

interface Attachment {
  readonly name: string;
  readonly addon: { name: string };
}

const out = (line = "") => console.log(line);

export async function listDeployed(app: string): Promise<number> {
  const client = await PlatformClient.connect(say);
  const addons = await client.request<AddonShape[]>("GET", `/apps/${app}/addons`);
  if (addons.length === 0) {
    out(`No add-ons for app ${app}.`);
    return 0;
  }
  const attachments = await client.request<Attachment[]>("GET", `/apps/${app}/addon-attachments`);
  const rows = addons.map((a) => [a.plan.name.split(":")[0]!, a.name, a.plan.name.split(":")[1] ?? "", "free", a.state]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(["Add-on", "", "Plan", "Price", "State"][i]!.length, ...rows.map((r) => r[i]!.length)));
  out(`${"Add-on".padEnd(widths[0]! + widths[1]! + 3)} ${"Plan".padEnd(widths[2]!)} ${"Price".padEnd(widths[3]!)} State`);
  addons.forEach((addon, i) => {
    const row = rows[i]!;
    out(`${row[0]} (${row[1]})`.padEnd(widths[0]! + widths[1]! + 3) + ` ${row[2]!.padEnd(widths[2]!)} ${row[3]!.padEnd(widths[3]!)} ${row[4]}`);
    const names = attachments.filter((t) => t.addon.name === addon.name).map((t) => t.name);
    out(` └─ as ${names.join(", ") || addon.config_vars[0]?.replace(/_URL$/, "") || "?"}`);
    out();
  });
  out(`The table above shows add-ons and the attachments to the current app (${app}) or other apps.`);
  return 0;
}

export async function createDeployed(app: string, spec: string, as?: string): Promise<number> {
  const client = await PlatformClient.connect(say);
  const addon = await action(`Creating ${spec} on ⬢ ${app}`, () => client.request<AddonShape>("POST", `/apps/${app}/addons`, { plan: { name: spec }, attachment: as ? { name: as } : {}, config: {} }));
  out(`Created ${addon.name} as ${addon.config_vars.join(", ")}`);
  out(`Use hoku addons:docs ${spec.split(":")[0]} to view documentation`);
  return 0;
}

export async function infoDeployed(app: string, name: string): Promise<number> {
  const client = await PlatformClient.connect(say);
  const addon = await client.request<AddonShape>("GET", `/apps/${app}/addons/${name}`);
  out(`=== ${addon.name}`);
  out();
  out(`Attachments:  ${app}::${addon.config_vars[0]?.replace(/_URL$/, "") ?? ""}`);
  out(`Installed at: ${addon.created_at}`);
  out(`Plan:         ${addon.plan.name}`);
  out(`State:        ${addon.state}`);
  return 0;
}

export async function destroyDeployed(app: string, name: string, confirm: string | undefined): Promise<number> {
  if (confirm !== app) throw new HokuError(`destroying ${name} deletes its data; confirm with the app name\n    hint: hoku addons:destroy ${name} -a ${app} --confirm ${app}`);
  const client = await PlatformClient.connect(say);
  await action(`Destroying ${name} on ⬢ ${app}`, () => client.request("DELETE", `/apps/${app}/addons/${name}`));
  return 0;
}
