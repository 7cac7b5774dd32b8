/**
 * The real heroku CLI (the npm `heroku` package, a pinned devDependency) pointed at a test
 * platform the way a user does it: the environment `hoku heroku:env` prints. HOME is the
 * platform's temp home, where the CLI writes its git credential helper and caches.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { TestPlatform } from "./platform.ts";

export const HEROKU = resolve(import.meta.dir, "../../node_modules/.bin/heroku");

export interface HerokuCli {
  readonly env: Record<string, string>;
  /** Runs `heroku ARGS`; its output and exit code. */
  heroku(args: readonly string[], options?: { cwd?: string; stdin?: string }): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** `export NAME='value'` lines (single quotes, `'\''` for a quote), as heroku:env prints them. */
export function parseExports(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^export ([A-Za-z_][A-Za-z0-9_]*)='(.*)'$/.exec(line);
    if (m) vars[m[1]!] = m[2]!.replaceAll(`'\\''`, "'");
  }
  return vars;
}

export async function herokuCliFor(platform: TestPlatform): Promise<HerokuCli> {
  const printed = await platform.hoku(["heroku:env"]);
  if (printed.code !== 0) throw new Error(`hoku heroku:env failed: ${printed.stderr}`);
  const home = platform.env.HOME!;
  // The CLI's one-time terms-of-service banner, already seen.
  mkdirSync(join(home, ".cache", "heroku"), { recursive: true });
  writeFileSync(join(home, ".cache", "heroku", "terms-of-service"), "");
  const env: Record<string, string> = { ...platform.env, ...parseExports(printed.stdout), PATH: `${resolve(import.meta.dir, "../../node_modules/.bin")}:${platform.env.PATH}`, NO_COLOR: "1" };
  delete env.FORCE_COLOR; // set at all (even empty), it beats NO_COLOR
  delete env.CI; // with CI set, the CLI pads every table row with trailing spaces: test what a user's shell gets
  return {
    env,
    async heroku(args, options = {}) {
      const proc = Bun.spawn([HEROKU, ...args], {
        cwd: options.cwd ?? home,
        env,
        stdin: options.stdin === undefined ? "ignore" : new TextEncoder().encode(options.stdin),
        stdout: "pipe",
        stderr: "pipe",
      });
      const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
      return { stdout, stderr, code };
    },
  };
}
