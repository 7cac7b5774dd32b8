import { HokuError } from "./problem.ts";

/**
 * The command line of a one-off dyno from `hoku run`'s arguments (pure), as `heroku run`
 * builds it (heroku/cli `lib/run/helpers.js` buildCommand): one argument is a shell command
 * as it is (`hoku run "rake db:migrate && echo ok"`); several are joined with spaces, each
 * one holding a space or a quote wrapped in double quotes. heroku run quotes only for a
 * space or `"`; `'` is added here, since `c'd` left bare would open a quote bash never
 * closes. `$` and backquotes stay live inside the quotes, as on Heroku.
 */
export function runCommand(args: readonly string[]): string {
  if (args.length === 1) return args[0]!;
  return args.map((arg) => (/[\s"']/.test(arg) ? `"${arg.replace(/["\\]/g, "\\$&")}"` : arg)).join(" ");
}

/** `--set KEY=value;KEY2=value2` (heroku run's -e), for a deployed app's one-off dyno or the working tree's. */
export function setVars(pairs: string | undefined): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const pair of (pairs ?? "").split(";").filter(Boolean)) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new HokuError(`--set ${pair}: write KEY=value pairs separated by ';'`);
    vars[pair.slice(0, at).trim()] = pair.slice(at + 1);
  }
  return vars;
}
