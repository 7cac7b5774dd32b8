/**
 * What a one-off dyno runs for the command a client gave (`heroku run web`, `heroku run worker
 * --verbose`): when the command's first whitespace-delimited word names one of the release's
 * process types, that word stands for the type's Procfile command, as Heroku's runtime
 * resolves it (heroku run --exit-code appends ` ; echo ...` with a space for that reason);
 * anything else runs as it is.
 */

export function resolveProcessType(command: string, processTypes: Readonly<Record<string, string>>): string {
  const match = /^(\s*)(\S+)(\s[\s\S]*)?$/.exec(command);
  if (!match) return command;
  const [, lead = "", word = "", rest = ""] = match;
  return Object.hasOwn(processTypes, word) ? `${lead}${processTypes[word]}${rest}` : command;
}
