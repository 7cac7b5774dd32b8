/**
 * Which deployed app a platform command acts on: `-a/--app`, else the current repository's
 * `hoku` remote (as the heroku CLI reads its `heroku` remote).
 */
import { HokuError } from "../app/problem.ts";
import { appFromRemote } from "../platform/git-remote.ts";

export interface AppFlag {
  readonly app?: string;
  /** The git remote naming the app (-r), as heroku's --remote; default hoku. */
  readonly remote?: string;
}

/** The app the named remote (default hoku) points at; a remote named with -r must exist. */
function fromRemote(flags: AppFlag): string | undefined {
  const app = appFromRemote(process.cwd(), flags.remote);
  if (!app && flags.remote) throw new HokuError(`the git remote ${flags.remote} does not name a hoku app here\n    hint: git remote -v lists the remotes; hoku git:remote -a APP -r ${flags.remote} sets one`);
  return app;
}

export function targetApp(flags: AppFlag): string {
  const app = flags.app ?? fromRemote(flags);
  if (!app) throw new HokuError("no app given\n    hint: add -a APP, or run inside a git repository whose hoku remote names an app (hoku git:remote -a APP)");
  return app;
}

/**
 * The deployed app a shared command (run, addons, pg:*) means, or undefined for the working
 * tree. Chosen by the repository's hoku remote rather than -a, it says so in one line.
 */
export function deployedApp(flags: AppFlag): string | undefined {
  if (flags.app) return flags.app;
  const app = fromRemote(flags);
  if (app) process.stderr.write(`hoku: acting on the deployed app ${app} (the repository's ${flags.remote ?? "hoku"} remote); hoku local:run and hoku start use the working tree\n`);
  return app;
}
