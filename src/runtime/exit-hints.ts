/**
 * What a dyno's exit status most likely means, for the line hoku prints when every dyno
 * has crashed (pure). Shell conventions: 126 and 127 come from bash itself, 128 + N is
 * death by signal N.
 */

const HINTS: Readonly<Record<number, string>> = {
  126: "the command is not executable: check its permissions (chmod +x) and its #! line.",
  127: "the command was not found: are the app's dependencies installed (npm install, pip install -r requirements.txt, bundle install)?",
  137: "it was killed with SIGKILL (out of memory?).",
  139: "it crashed with a segmentation fault.",
  143: "it was stopped with SIGTERM from outside hoku.",
};

/** A hint for an exit status (a sentence), or undefined when only the dyno's own output can tell. */
export function exitHint(status: number): string | undefined {
  return HINTS[status];
}
