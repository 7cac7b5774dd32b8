/**
 * `hoku ps`, `ps:scale`, `ps:restart`, `ps:stop` of a deployed app, as the heroku CLI prints
 * them (OP-1..OP-3): `web=2 worker+1`, `Scaling dynos... done, now running web at 2:Basic`.
 */
import { HokuError } from "../app/problem.ts";
import { PlatformClient } from "../platform/client.ts";
import { action } from "./action.ts";
import { ago, herokuTime } from "./heroku-time.ts";
import { say } from "./load.ts";
import { type AppFlag, targetApp } from "./target.ts";

interface Dyno {
  readonly name: string;
  readonly type: string;
  readonly state: string;
  readonly command: string;
  readonly size: string;
  readonly updated_at: string;
}

interface Formation {
  readonly type: string;
  readonly quantity: number;
  readonly size: string;
  readonly command: string;
}

const out = (line = "") => console.log(line);

/** `hoku ps [TYPE...] [--json]`, as `heroku ps`: the types given only (each must have dynos), or every dyno as JSON. */
export async function ps(types: readonly string[], flags: AppFlag & { readonly json?: boolean }): Promise<number> {
  const app = targetApp(flags);
  const client = await PlatformClient.connect(say);
  let dynos = await client.request<Dyno[]>("GET", `/apps/${app}/dynos`);
  if (types.length > 0) {
    dynos = dynos.filter((d) => types.includes(d.type));
    for (const type of types) if (!dynos.some((d) => d.type === type)) throw new HokuError(`No ${type} dynos on ⬢ ${app}`);
  }
  if (flags.json) {
    // The heroku CLI sorts by name (type, then number) and prints the API's objects.
    const byName = (a: Dyno, b: Dyno) => a.type.localeCompare(b.type) || Number(a.name.split(".")[1]) - Number(b.name.split(".")[1]);
    out(JSON.stringify([...dynos].sort(byName), null, 2));
    return 0;
  }
  if (dynos.length === 0) {
    out(`No dynos on ⬢ ${app}`);
    return 0;
  }
  const byNumber = (a: Dyno, b: Dyno) => Number(a.name.split(".")[1]) - Number(b.name.split(".")[1]);
  const since = (d: Dyno) => `${herokuTime(d.updated_at)} (${ago(d.updated_at)})`;
  // One-off dynos first, each with its command, as the heroku CLI prints them.
  const oneOffs = dynos.filter((d) => d.type === "run").sort(byNumber);
  const blocks: string[][] = [];
  if (oneOffs.length > 0) blocks.push([`=== run: one-off processes (${oneOffs.length})`, "", ...oneOffs.map((d) => `${d.name} (${d.size}): ${d.state} ${since(d)}: ${d.command}`)]);
  // Types in name order, as the heroku CLI sorts the dynos by name before it groups them.
  for (const type of [...new Set(dynos.filter((d) => d.type !== "run").map((d) => d.type))].sort()) {
    const ofType = dynos.filter((d) => d.type === type).sort(byNumber);
    blocks.push([`=== ${type} (${ofType[0]!.size}): ${ofType[0]!.command} (${ofType.length})`, "", ...ofType.map((d) => `${d.name}: ${d.state} ${since(d)}`)]);
  }
  out(blocks.map((block) => block.join("\n")).join("\n\n"));
  return 0;
}

/** `web=2`, `worker+1`, `web=2:Standard-2X` (OP-2). */
function parseScale(args: readonly string[], formation: readonly Formation[]): { type: string; quantity?: number; size?: string }[] {
  return args.map((arg) => {
    const match = /^([A-Za-z0-9_-]+)([=+-])(\d+)?(?::([A-Za-z0-9-]+))?$/.exec(arg);
    if (!match || (match[3] === undefined && !match[4])) throw new HokuError(`Usage: hoku ps:scale web=2 worker+1 (a type, then =N, +N or -N, and :SIZE if you like); not ${arg}`);
    const [, type, op, n, size] = match as unknown as [string, string, string, string | undefined, string | undefined];
    const current = formation.find((f) => f.type === type)?.quantity ?? 0;
    const quantity = n === undefined ? undefined : op === "=" ? Number(n) : op === "+" ? current + Number(n) : Math.max(0, current - Number(n));
    return { type, ...(quantity !== undefined && { quantity }), ...(size && { size }) };
  });
}

export async function scale(args: readonly string[], flags: AppFlag): Promise<number> {
  const app = targetApp(flags);
  const client = await PlatformClient.connect(say);
  const formation = await client.request<Formation[]>("GET", `/apps/${app}/formation`);
  if (args.length === 0) {
    out(formation.map((f) => `${f.type}=${f.quantity}:${f.size}`).join(" "));
    return 0;
  }
  const updates = parseScale(args, formation).map((u) => ({ ...u, ...(u.quantity !== undefined && { quantity: String(u.quantity) }) }));
  await action(
    "Scaling dynos",
    async () => (await client.request<Formation[]>("PATCH", `/apps/${app}/formation`, { updates })).filter((f) => updates.some((u) => u.type === f.type)),
    (touched) => `done, now running ${touched.map((f) => `${f.type} at ${f.quantity}:${f.size}`).join(", ")}`,
  );
  return 0;
}

export async function restart(dyno: string | undefined, flags: AppFlag & { processType?: string; dynoName?: string }): Promise<number> {
  const app = targetApp(flags);
  const client = await PlatformClient.connect(say);
  const which = flags.dynoName ?? dyno;
  const type = flags.processType;
  await action(`Restarting ${type ? `all ${type} dynos` : which ? `dyno ${which}` : "all dynos"} on ⬢ ${app}`, () =>
    client.request("DELETE", type ? `/apps/${app}/formations/${type}` : which ? `/apps/${app}/dynos/${which}` : `/apps/${app}/dynos`),
  );
  return 0;
}

export async function stop(dyno: string | undefined, flags: AppFlag & { processType?: string; dynoName?: string }): Promise<number> {
  const app = targetApp(flags);
  const which = flags.dynoName ?? dyno;
  const type = flags.processType;
  if (!which && !type) throw new HokuError("Please specify a process type or dyno name to stop.\n    hint: hoku ps:stop web.1, or hoku ps:stop --process-type web");
  const client = await PlatformClient.connect(say);
  await action(`Stopping ${type ? `all ${type} dynos` : `dyno ${which}`} on ⬢ ${app}`, () =>
    client.request("POST", type ? `/apps/${app}/formations/${type}/actions/stop` : `/apps/${app}/dynos/${which}/actions/stop`),
  );
  return 0;
}
