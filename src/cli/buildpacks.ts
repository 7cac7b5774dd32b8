/**
 * `hoku buildpacks`, `buildpacks:set`, `:add`, `:remove`, `:clear` of a deployed app, as the
 * heroku CLI prints them; the next push builds with them, in order.
 */
import { HokuError } from "../app/problem.ts";
import { PlatformClient } from "../platform/client.ts";
import { say } from "./load.ts";
import { type AppFlag, targetApp } from "./target.ts";

const out = (line = "") => console.log(line);

/** Heroku's own buildpacks come as `urn:buildpack:heroku/nodejs`; shown, like the heroku CLI does, as the name. */
const shown = (installations: { buildpack: { url: string } }[]) => installations.map((b) => b.buildpack.url.replace(/^urn:buildpack:/, ""));

async function current(client: PlatformClient, app: string): Promise<string[]> {
  return shown(await client.request<{ buildpack: { url: string } }[]>("GET", `/apps/${app}/buildpack-installations`));
}

async function put(client: PlatformClient, app: string, urls: readonly string[]): Promise<string[]> {
  return shown(await client.request<{ buildpack: { url: string } }[]>("PUT", `/apps/${app}/buildpack-installations`, { updates: urls.map((buildpack) => ({ buildpack })) }));
}

function list(app: string, urls: readonly string[]): void {
  if (urls.length === 0) return out(`⬢ ${app} has no Buildpack URL set.`);
  out(`=== ⬢ ${app} Buildpack URL${urls.length > 1 ? "s" : ""}`);
  out();
  if (urls.length === 1) out(urls[0]);
  else urls.forEach((url, i) => out(`${i + 1}. ${url}`));
}

export async function buildpacks(flags: AppFlag): Promise<number> {
  const app = targetApp(flags);
  list(app, await current(await PlatformClient.connect(say), app));
  return 0;
}

export async function buildpacksChange(command: "set" | "add" | "remove" | "clear", url: string | undefined, flags: AppFlag & { index?: string }): Promise<number> {
  const app = targetApp(flags);
  const client = await PlatformClient.connect(say);
  const urls = await current(client, app);
  const index = flags.index === undefined ? undefined : Number(flags.index) - 1;
  if (command !== "clear" && !url && index === undefined) throw new HokuError(`Usage: hoku buildpacks:${command} BUILDPACK\n    hint: a name like heroku/nodejs, a local folder, or a URL`);
  let next: string[];
  if (command === "clear") next = [];
  else if (command === "remove") {
    const at = index ?? urls.indexOf(url!);
    if (at < 0 || at >= urls.length) throw new HokuError(`Buildpack not found. Nothing was removed.`);
    next = urls.filter((_, i) => i !== at);
  } else if (command === "add") {
    if (urls.includes(url!)) throw new HokuError(`The buildpack ${url} is already set on your app.`);
    next = [...urls];
    next.splice(index ?? urls.length, 0, url!);
  } else {
    next = [...urls];
    if (index !== undefined) next[index] = url!;
    else next = [url!];
  }
  const saved = await put(client, app, next);
  if (command === "clear") out("Buildpacks cleared. Next release on ⬢ " + app + " will detect buildpacks normally.");
  else if (saved.length === 1 && command !== "remove") out(`Buildpack ${command === "add" ? "added" : "set"}. Next release on ⬢ ${app} will use ${saved[0]}.`);
  else {
    out(`Buildpack ${command === "add" ? "added" : command === "remove" ? "removed" : "set"}. Next release on ⬢ ${app} will use:`);
    saved.forEach((u, i) => out(`  ${i + 1}. ${u}`));
  }
  if (command !== "clear") out(`Run git push hoku main to create a new release using ${saved.length > 1 ? "these buildpacks" : "this buildpack"}.`);
  return 0;
}
