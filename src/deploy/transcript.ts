/**
 * The build transcript's line shapes, as Heroku prints them (without git's `remote: ` prefix):
 * `-----> ` opens a step, details are indented seven spaces, and ` !     ` marks an error.
 */

/** Receives each transcript line, in order, without a line ending. */
export type OutputLine = (line: string) => void;

export const step = (text: string): string => `-----> ${text}`;
export const detail = (text: string): string => `       ${text}`;
export const bang = (text: string): string => ` !     ${text}`;

/** The closing lines of a failed build (GP-3): a blank line, then ` !     Push failed`. */
export function pushFailed(output: OutputLine): void {
  output("");
  output(bang("Push failed"));
}

/** What Heroku prints when a buildpack's bin/compile fails, naming the language detect printed. */
export function compileFailed(output: OutputLine, language: string): void {
  output("");
  output(bang(`Push rejected, failed to compile ${language} app.`));
  pushFailed(output);
}

/** `45.2M`, `312K`: a size as the slug compiler prints it (binary units). */
export function formatSize(bytes: number): string {
  const mib = bytes / 1024 / 1024;
  if (mib >= 1) return `${mib.toFixed(1)}M`;
  return `${Math.max(1, Math.round(bytes / 1024))}K`;
}
