/**
 * `hoku apps:create [NAME]`, `apps`, `apps:info`, `apps:open`, `apps:destroy`, `apps:rename`, `git:remote`:
 * the platform's apps, as `heroku create` and its neighbours print them. In a git repository,
 * apps:create adds the `hoku` remote (and its credential helper, in the repository's config).
 */
import { HokuError } from "../app/problem.ts";
import { hokuCommand, PlatformClient } from "../platform/client.ts";
import { appFromRemote, inGitRepo, renameLocalHerokuRemote, setRemote } from "../platform/git-remote.ts";
import { action } from "./action.ts";
import { say } from "./load.ts";
import { type AppFlag, targetApp } from "./target.ts";

interface App {
  readonly id: string;
  readonly name: string;
  readonly web_url: string;
  readonly git_url: string;
  readonly owner: { email: string };
  readonly region: { name: string };
  readonly stack: { name: string };
  readonly slug_size: number | null;
  readonly maintenance: boolean;
  readonly created_at: string;
  readonly released_at: string | null;
}

const out = (line = "") => console.log(line);

export async function createApp(name: string | undefined, flags: { remote?: string }): Promise<number> {
  const client = await PlatformClient.connect(say);
  const app = await action(`Creating ${name ? `⬢ ${name}` : "app"}`, () => client.request<App>("POST", "/apps", name ? { name } : {}), (created) => (name ? "done" : `done, ⬢ ${created.name}`));
  out(`${app.web_url} | ${app.git_url}`);
  if (inGitRepo(process.cwd())) {
    const how = setRemote(process.cwd(), app.git_url, hokuCommand(), flags.remote);
    out(`Git remote ${flags.remote ?? "hoku"} ${how}`);
  }
  return 0;
}

/**
 * `hoku open [PATH]`: the app's router URL, printed as `heroku open` prints it, and opened in the
 * desktop's browser when there is one (xdg-open with a display); elsewhere the URL is the answer.
 */
export async function openApp(path: string | undefined, flags: AppFlag): Promise<number> {
  const name = targetApp(flags);
  const client = await PlatformClient.connect(say);
  const app = await client.request<App>("GET", `/apps/${encodeURIComponent(name)}`);
  const url = new URL(path ?? "", app.web_url).toString();
  out(`Opening ${url}...`);
  const opener = Bun.which("xdg-open");
  if (opener && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY)) Bun.spawn([opener, url], { stdio: ["ignore", "ignore", "ignore"] }).unref();
  return 0;
}

export async function listApps(): Promise<number> {
  const client = await PlatformClient.connect(say);
  const apps = await client.request<App[]>("GET", "/apps");
  const user = (await client.request<{ email: string }>("GET", "/account")).email;
  out(`=== ${user} Apps`);
  out();
  if (apps.length === 0) out("You have no apps.");
  // By name, as the heroku CLI sorts them.
  for (const name of apps.map((app) => app.name).sort()) out(name);
  return 0;
}

export async function appInfo(flags: AppFlag): Promise<number> {
  const client = await PlatformClient.connect(say);
  const name = targetApp(flags);
  const app = await client.request<App>("GET", `/apps/${name}`);
  const dynos = await client.request<{ type: string }[]>("GET", `/apps/${name}/dynos`);
  const counts = new Map<string, number>();
  for (const d of dynos) counts.set(d.type, (counts.get(d.type) ?? 0) + 1);
  const rows: [string, string][] = [
    ["Dynos", [...counts].map(([t, n]) => `${t}: ${n}`).join(", ")],
    ["Git URL", app.git_url],
    ["Owner", app.owner.email],
    ["Region", app.region.name],
    ["Slug Size", app.slug_size === null ? "" : `${(app.slug_size / 1024 / 1024).toFixed(1)} MB`],
    ["Stack", app.stack.name],
    ["Web URL", app.web_url],
  ];
  out(`=== ⬢ ${app.name}`);
  out();
  const width = Math.max(...rows.map(([k]) => k.length)) + 1;
  for (const [key, value] of rows) out(`${`${key}:`.padEnd(width)} ${value}`);
  return 0;
}

export async function destroyApp(flags: AppFlag & { confirm?: string }): Promise<number> {
  const name = targetApp(flags);
  if (flags.confirm !== name)
    throw new HokuError(`destroying ⬢ ${name} deletes its releases, config vars and dynos\n    hint: hoku apps:destroy -a ${name} --confirm ${name}`);
  const client = await PlatformClient.connect(say);
  await action(`Destroying ⬢ ${name} (including all add-ons)`, () => client.request("DELETE", `/apps/${name}`));
  return 0;
}

export async function renameApp(newName: string, flags: AppFlag): Promise<number> {
  const name = targetApp(flags);
  const client = await PlatformClient.connect(say);
  const app = await action(`Renaming ⬢ ${name} to ${newName}`, () => client.request<App>("PATCH", `/apps/${name}`, { name: newName }));
  out(`${app.web_url} | ${app.git_url}`);
  if (inGitRepo(process.cwd()) && appFromRemote(process.cwd()) === name) {
    setRemote(process.cwd(), app.git_url, hokuCommand());
    out("Git remote hoku updated");
  }
  if (inGitRepo(process.cwd()) && renameLocalHerokuRemote(process.cwd(), name, newName)) out("Git remote heroku updated");
  say("Don't forget to update git remotes for all other local checkouts of the app.");
  return 0;
}

export async function gitRemote(flags: AppFlag & { remote?: string }): Promise<number> {
  if (!inGitRepo(process.cwd())) throw new HokuError("not inside a git repository\n    hint: run git init first, or cd into your app's repository");
  const client = await PlatformClient.connect(say);
  const app = await client.request<App>("GET", `/apps/${targetApp(flags)}`);
  setRemote(process.cwd(), app.git_url, hokuCommand(), flags.remote);
  out(`set git remote ${flags.remote ?? "hoku"} to ${app.git_url}`);
  return 0;
}
