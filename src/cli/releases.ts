/**
 * `hoku releases`, `releases:info [vN]`, `rollback [vN]` (alias `releases:rollback`), as the
 * heroku CLI prints them (RL-3, RL-4).
 */
import { HokuError } from "../app/problem.ts";
import { PlatformClient } from "../platform/client.ts";
import { action } from "./action.ts";
import { ago, herokuTime } from "./heroku-time.ts";
import { say } from "./load.ts";
import { type AppFlag, targetApp } from "./target.ts";

interface Release {
  readonly id: string;
  readonly version: number;
  readonly description: string;
  readonly status: string;
  readonly current: boolean;
  readonly created_at: string;
  readonly user: { email: string };
  readonly output_stream_url: string | null;
  readonly eligible_for_rollback: boolean;
  readonly addon_plan_names: readonly string[];
}

const out = (line = "") => console.log(line);

/**
 * `Key: value` lines as the heroku CLI prints an object (heroku-cli-util's styledObject): the
 * values lined up two columns past the longest key; a list one value a line, an empty one left
 * out; no keys at all is one empty line.
 */
function styledObject(object: Readonly<Record<string, string | readonly string[]>>): void {
  const shown = Object.entries(object).filter(([, value]) => value.length > 0 || typeof value === "string");
  const width = Math.max(0, ...shown.map(([key]) => key.length)) + 2;
  const lines = shown.flatMap(([key, value]) => {
    const [first = "", ...rest] = typeof value === "string" ? [value === "" ? "''" : value] : value;
    return [`${`${key}:`.padEnd(width)}${first}`, ...rest.map((more) => `${" ".repeat(width)}${more}`)];
  });
  out(lines.join("\n"));
}

/** What the heroku CLI says of a release's status beside its description, if anything. */
function statusText(release: Release): string | undefined {
  return { expired: "release expired", failed: "release command failed", pending: "release command executing" }[release.status];
}

/** The description column of `releases`: the status follows the description. */
function describe(release: Release): string {
  const status = statusText(release);
  return status ? `${release.description} ${status}` : release.description;
}

/** `Change:` in `releases:info`: the status follows in parentheses. */
function change(release: Release): string {
  const status = statusText(release);
  return status ? `${release.description} (${status})` : release.description;
}

export async function releases(flags: AppFlag & { num?: string }): Promise<number> {
  const app = targetApp(flags);
  const client = await PlatformClient.connect(say);
  const max = Number(flags.num ?? 15);
  const list = await client.request<Release[]>("GET", `/apps/${app}/releases`, undefined, { Range: `version ..; max=${max}, order=desc` });
  const current = list.find((r) => r.current);
  out(`=== ⬢ ${app} Releases${current ? ` - Current: v${current.version}` : ""}`);
  out();
  const rows = list.map((r) => [`v${r.version}`, describe(r), r.user.email, `${herokuTime(r.created_at)} (${ago(r.created_at)})`]);
  const widths = [0, 1, 2].map((i) => Math.max(0, ...rows.map((r) => r[i]!.length)));
  for (const row of rows) out(row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join("  "));
  return 0;
}

export async function releaseInfo(version: string | undefined, flags: AppFlag): Promise<number> {
  const app = targetApp(flags);
  const client = await PlatformClient.connect(say);
  const release = await findRelease(client, app, version);
  const vars = await client.request<Record<string, string>>("GET", `/apps/${app}/releases/${release.version}/config-vars`);
  out(`=== Release v${release.version}`);
  out();
  styledObject({
    "Add-ons": release.addon_plan_names,
    By: release.user.email,
    Change: change(release),
    "Eligible for Rollback?": release.eligible_for_rollback ? "Yes" : "No",
    When: release.created_at,
  });
  out();
  out(`=== v${release.version} Config vars`);
  out();
  styledObject(vars);
  return 0;
}

/** `releases:output`: what the release's release command printed, as `heroku releases:output` shows it. */
export async function releaseOutput(version: string | undefined, flags: AppFlag): Promise<number> {
  const app = targetApp(flags);
  const client = await PlatformClient.connect(say);
  const release = await findRelease(client, app, version);
  if (!release.output_stream_url) {
    say(`Warning: Release v${release.version} has no release output available.`);
    return 0;
  }
  out((await (await client.raw("GET", new URL(release.output_stream_url).pathname)).text()).trimEnd());
  return 0;
}

/** The release `version` names (`v4` or `4`), else the latest. */
async function findRelease(client: PlatformClient, app: string, version: string | undefined): Promise<Release> {
  const release = version
    ? await client.request<Release>("GET", `/apps/${app}/releases/${version.replace(/^v/, "")}`)
    : (await client.request<Release[]>("GET", `/apps/${app}/releases`, undefined, { Range: "version ..; max=1, order=desc" }))[0];
  if (!release) throw new HokuError(`⬢ ${app} has no release`);
  return release;
}

export async function rollback(version: string | undefined, flags: AppFlag): Promise<number> {
  const app = targetApp(flags);
  const client = await PlatformClient.connect(say);
  const list = await client.request<Release[]>("GET", `/apps/${app}/releases`, undefined, { Range: "version ..; max=2, order=desc" });
  const target = version ? version.replace(/^v/, "") : String(list.filter((r) => !r.current).at(0)?.version ?? "");
  if (!target) throw new HokuError(`⬢ ${app} has no earlier release to roll back to`);
  const release = await action(
    `Rolling back ⬢ ${app} to v${target}`,
    () => client.request<Release>("POST", `/apps/${app}/releases`, { release: target }),
    (r) => `done, v${r.version}`,
  );
  out(" ›   Warning: Rollback affects code and config vars; it doesn't add or remove addons.");
  out(` ›   To undo, run: hoku rollback v${release.version - 1}`);
  return 0;
}
