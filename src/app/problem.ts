/**
 * Problems in the user's input and the error hoku raises for them.
 *
 * Parsers never throw for bad input: they return every problem they find, each
 * located (file and line, or JSON path) and carrying a hint, so `hoku check`
 * can list them all and `hoku start` can refuse to start before anything runs.
 */

/** One thing wrong with the user's input, located precisely enough to fix. */
export interface Problem {
  /** The file, as the user would name it (`Procfile`, `.env`, `app.json`). */
  readonly file: string;
  /** 1-based line number, for line-oriented files. */
  readonly line?: number;
  /** JSON pointer into the document, for JSON files (`/env/SECRET/required`). */
  readonly path?: string;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** What to do about it. */
  readonly hint?: string;
  /** Warnings are reported but do not stop hoku. */
  readonly severity: "error" | "warning";
}

/** A parser's answer: the value it could build and everything wrong on the way. */
export interface Parsed<T> {
  readonly value: T;
  readonly problems: readonly Problem[];
}

/** `Procfile:3: message` / `app.json /env/FOO: message`, then an indented hint. */
export function formatProblem(problem: Problem): string {
  const line = problem.line !== undefined ? `:${problem.line}` : "";
  const path = problem.path !== undefined ? ` ${problem.path || "/"}` : "";
  const where = `${problem.file}${line}${path}`;
  const label = problem.severity === "warning" ? "warning: " : "";
  const hint = problem.hint ? `\n    hint: ${problem.hint}` : "";
  return `${where}: ${label}${problem.message}${hint}`;
}

export function errorsIn(problems: readonly Problem[]): Problem[] {
  return problems.filter((p) => p.severity === "error");
}

/** An error meant for the user: a message that says what to do, and an exit code. Caught once, at the CLI edge. */
export class HokuError extends Error {
  override readonly name = "HokuError";
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly problems: readonly Problem[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** An error listing every problem, each on its own lines. */
  static fromProblems(summary: string, problems: readonly Problem[]): HokuError {
    const lines = problems.map(formatProblem).join("\n");
    return new HokuError(`${summary}\n${lines}`, 1, problems);
  }
}
