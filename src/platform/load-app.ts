/**
 * Loads an app directory: reads its Procfile, env files and app.json, and runs the
 * pure parsers over them, collecting every problem. The only file I/O of `start`,
 * `run` and `check` before anything is spawned.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, relative, resolve } from "node:path";
import { type AppJson, EMPTY_APP_JSON, parseAppJson } from "../app/app-json.ts";
import { parseEnvFile } from "../app/env-file.ts";
import type { Problem } from "../app/problem.ts";
import { parseProcfile, type ProcessType } from "../app/procfile.ts";
import { EMPTY_HOKU_JSON, type HokuJson, parseHokuJson } from "../addons/custom-services.ts";
import { knownServices, validateAddons } from "../addons/validate-addons.ts";

export interface LoadRequest {
  /** `-d/--dir`; defaults to the Procfile's folder, else the current directory. */
  readonly dir?: string;
  /** `-f/--procfile`. */
  readonly procfile?: string;
  /** `-e/--env` files, in order; undefined means the default `.env`. */
  readonly envFiles?: readonly string[];
  /** `--no-expand` turns this off. */
  readonly expand?: boolean;
  /** The shell's environment, for expansion. */
  readonly shell: Readonly<Record<string, string | undefined>>;
  /** The current directory, for naming files the way the user sees them. */
  readonly cwd: string;
}

/** An app directory as read from disk. */
export interface LoadedApp {
  /** Absolute app directory; dynos start there. */
  readonly dir: string;
  /** app.json `name`, else the directory's name. */
  readonly name: string;
  /** The Procfile's name as the user sees it (or `package.json` when falling back). */
  readonly procfileName: string;
  readonly types: readonly ProcessType[];
  /** A one-line note when the Procfile was missing and a buildpack default was used. */
  readonly fallbackNote?: string;
  readonly appJson: AppJson;
  readonly appJsonName: string;
  /** hoku.json: image overrides and custom add-on services. */
  readonly hokuJson: HokuJson;
  /** Every env file's values merged, later files winning. */
  readonly fileEnv: ReadonlyMap<string, string>;
  /** Everything found wrong, errors and warnings. */
  readonly problems: readonly Problem[];
}

export function loadApp(request: LoadRequest): LoadedApp {
  const procfilePath = request.procfile ? resolve(request.cwd, request.procfile) : undefined;
  const dir = resolve(request.cwd, request.dir ?? (procfilePath ? dirname(procfilePath) : "."));
  const show = (path: string) => relative(request.cwd, path) || basename(path);
  const problems: Problem[] = [];

  const appJsonPath = resolve(dir, "app.json");
  const appJsonName = show(appJsonPath);
  let appJson = EMPTY_APP_JSON;
  if (existsSync(appJsonPath)) {
    const parsed = parseAppJson(readFileSync(appJsonPath, "utf8"), appJsonName);
    problems.push(...parsed.problems);
    appJson = parsed.value ?? EMPTY_APP_JSON;
  }

  let hokuJson = EMPTY_HOKU_JSON;
  const hokuJsonPath = resolve(dir, "hoku.json");
  if (existsSync(hokuJsonPath)) {
    const parsed = parseHokuJson(readFileSync(hokuJsonPath, "utf8"), show(hokuJsonPath));
    problems.push(...parsed.problems);
    hokuJson = parsed.value;
  }
  problems.push(...validateAddons(appJson.addons, knownServices(hokuJson.services), appJsonName));

  const procfile = readProcfile(procfilePath ?? resolve(dir, "Procfile"), dir, show, request.procfile !== undefined);
  problems.push(...procfile.problems);

  const fileEnv = new Map<string, string>();
  const named = request.envFiles !== undefined;
  for (const file of request.envFiles ?? [".env"]) {
    const path = named ? resolve(request.cwd, file) : resolve(dir, file);
    if (!existsSync(path)) {
      if (named)
        problems.push({ file: show(path), message: "env file not found", hint: "check the path given to -e/--env (paths are relative to the current directory)", severity: "error" });
      continue;
    }
    const parsed = parseEnvFile(readFileSync(path, "utf8"), show(path), {
      expand: request.expand ?? true,
      lookup: (key) => fileEnv.get(key) ?? request.shell[key],
    });
    problems.push(...parsed.problems);
    for (const [key, value] of parsed.value) fileEnv.set(key, value);
  }

  return {
    dir,
    name: appJson.name ?? basename(dir),
    procfileName: procfile.name,
    types: procfile.types,
    fallbackNote: procfile.note,
    appJson,
    appJsonName,
    hokuJson,
    fileEnv,
    problems,
  };
}

function readProcfile(path: string, dir: string, show: (p: string) => string, named: boolean) {
  if (existsSync(path)) {
    const parsed = parseProcfile(readFileSync(path, "utf8"), show(path));
    return { name: show(path), types: parsed.value, problems: parsed.problems, note: undefined };
  }
  const packageJson = resolve(dir, "package.json");
  if (!named && existsSync(packageJson) && hasStartScript(readFileSync(packageJson, "utf8"))) {
    const types: ProcessType[] = [{ name: "web", command: "npm start", line: 0, index: 0 }];
    return { name: show(packageJson), types, problems: [], note: "No Procfile; using the Node.js buildpack default (package.json has a start script): web: npm start" };
  }
  const problem: Problem = {
    file: show(path),
    message: "Procfile not found",
    hint: named ? "check the path given to -f/--procfile" : "create a Procfile with a line such as `web: npm start` (or add a start script to package.json)",
    severity: "error",
  };
  return { name: show(path), types: [] as ProcessType[], problems: [problem], note: undefined };
}

function hasStartScript(text: string): boolean {
  try {
    return typeof JSON.parse(text)?.scripts?.start === "string";
  } catch {
    return false;
  }
}
