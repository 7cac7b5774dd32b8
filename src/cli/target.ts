/**
 * Which deployed app a platform command acts on: `-a/--app`, else the current repository's
 * `hoku` remote (as the heroku CLI reads its `heroku` remote), else its `heroku` remote when that
 * points at the local platform (a repository set up with the heroku CLI).
 */
import { HokuError } from "../app/problem.ts";
import { appFromLocalHerokuRemote, appFromRemote } from "../platform/git-remote.ts";

export interface AppFlag {
  readonly app?: string;
  /** The git remote naming the app (-r), as heroku's --remote; default hoku. */
  readonly remote?: string;
}

/**
 * The app the named remote (default hoku, else a `heroku` remote that points at this machine's
 * platform) names, and which remote that was; a remote named with -r must exist.
 */
function fromRemote(flags: AppFlag): { app: string; remote: string } | undefined {
  const app = appFromRemote(process.cwd(), flags.remote);
  if (!app && flags.remote) throw new HokuError(`the git remote ${flags.remote} does not name a hoku app here\n    hint: git remote -v lists the remotes; hoku git:remote -a APP -r ${flags.remote} sets one`);
  if (app) return { app, remote: flags.remote ?? "hoku" };
  const viaHeroku = appFromLocalHerokuRemote(process.cwd());
  return viaHeroku ? { app: viaHeroku, remote: "heroku" } : undefined;
}

export function targetApp(flags: AppFlag): string {
  const app = flags.app ?? fromRemote(flags)?.app;
  if (!app) throw new HokuError("no app given\n    hint: add -a APP, or run inside a git repository whose hoku remote names an app (hoku git:remote -a APP)");
  return app;
}

/**
 * The deployed app a shared command (run, addons, pg:*) means, or undefined for the working
 * tree. Chosen by the repository's hoku remote rather than -a, it says so in one line.
 */
export function deployedApp(flags: AppFlag): string | undefined {
  if (flags.app) return flags.app;
  const found = fromRemote(flags);
  if (found) process.stderr.write(`hoku: acting on the deployed app ${found.app} (the repository's ${found.remote} remote); hoku local:run and hoku start use the working tree\n`);
  return found?.app;
}
