/**
 * Which deployed app a platform command acts on: `-a/--app`, else the current repository's
 * `hoku` remote (as the heroku CLI reads its `heroku` remote).
 */
import { HokuError } from "../app/problem.ts";
import { appFromRemote } from "../platform/git-remote.ts";

export interface AppFlag {
  readonly app?: string;
}

export function targetApp(flags: AppFlag): string {
  const app = flags.app ?? appFromRemote(process.cwd());
  if (!app) throw new HokuError("no app given\n    hint: add -a APP, or run inside a git repository whose hoku remote names an app (hoku git:remote -a APP)");
  return app;
}

/**
 * The deployed app a shared command (run, addons, pg:*) means, or undefined for the working
 * tree. Chosen by the repository's hoku remote rather than -a, it says so in one line.
 */
export function deployedApp(flags: AppFlag): string | undefined {
  if (flags.app) return flags.app;
  const fromRemote = appFromRemote(process.cwd());
  if (fromRemote) process.stderr.write(`hoku: acting on the deployed app ${fromRemote} (the repository's hoku remote); hoku local:run and hoku start use the working tree\n`);
  return fromRemote;
}
