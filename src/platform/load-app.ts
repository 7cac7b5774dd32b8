/**
 * Loads an app directory: reads its Procfile, env files and app.json, and runs the
 * pure parsers over them, collecting every problem. The only file I/O of `start`,
 * `run` and `check` before anything is spawned.
 */
import { existsSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { type AppJson, EMPTY_APP_JSON, parseAppJson } from "../app/app-json.ts";
import { type EnvFileText, type EnvOrigin, mergeEnvFiles } from "../app/env-files.ts";
import type { Problem } from "../app/problem.ts";
import { parseProcfile, type ProcessType } from "../app/procfile.ts";
import { EMPTY_HOKU_JSON, type HokuJson, parseHokuJson } from "../addons/custom-services.ts";
import { knownServices, validateAddons } from "../addons/validate-addons.ts";
import { readInputFile } from "./read-input.ts";

export interface LoadRequest {
  /** `-d/--dir`; defaults to the Procfile's folder, else the app root found from the current directory. */
  readonly dir?: string;
  /** `-f/--procfile`. */
  readonly procfile?: string;
  /** `--start-cmd`: the web command when there is no Procfile (heroku local's flag). */
  readonly startCmd?: string;
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
  /** One-line notes: the app root found above the current directory, a buildpack default used for a missing Procfile. */
  readonly notes: readonly string[];
  readonly appJson: AppJson;
  readonly appJsonName: string;
  /** hoku.json: image overrides and custom add-on services. */
  readonly hokuJson: HokuJson;
  /** Every env file's values merged, later files winning, before the add-ons' vars are known. */
  readonly fileEnv: ReadonlyMap<string, string>;
  /** The file and line each key of `fileEnv` came from. */
  readonly fileEnvOrigins: ReadonlyMap<string, EnvOrigin>;
  /** The env files' texts, to read again with the add-ons' vars (`mergeEnvFiles`). */
  readonly envFiles: readonly EnvFileText[];
  /** Whether env files expand `${VAR}` (false = --no-expand). */
  readonly expand: boolean;
  /** Everything found wrong, errors and warnings. */
  readonly problems: readonly Problem[];
}

export function loadApp(request: LoadRequest): LoadedApp {
  const procfilePath = request.procfile ? resolve(request.cwd, request.procfile) : undefined;
  const notes: string[] = [];
  let dir: string;
  if (request.dir !== undefined || procfilePath) dir = resolve(request.cwd, request.dir ?? dirname(procfilePath!));
  else {
    dir = findAppRoot(request.cwd);
    if (dir !== request.cwd) notes.push(`running the app at ${dir} (its ${existsSync(join(dir, "Procfile")) ? "Procfile" : "app.json"} is there, above the current folder)`);
  }
  const show = (path: string) => relative(request.cwd, path) || basename(path);
  const problems: Problem[] = [];

  const appJsonPath = resolve(dir, "app.json");
  const appJsonName = show(appJsonPath);
  let appJson = EMPTY_APP_JSON;
  if (existsSync(appJsonPath)) {
    const read = readInputFile(appJsonPath, appJsonName);
    const parsed = read.problem ? { problems: [read.problem], value: undefined } : parseAppJson(read.text, appJsonName);
    problems.push(...parsed.problems.map(locally));
    appJson = parsed.value ?? EMPTY_APP_JSON;
  }

  let hokuJson = EMPTY_HOKU_JSON;
  const hokuJsonPath = resolve(dir, "hoku.json");
  if (existsSync(hokuJsonPath)) {
    const read = readInputFile(hokuJsonPath, show(hokuJsonPath));
    const parsed = read.problem ? { problems: [read.problem], value: EMPTY_HOKU_JSON } : parseHokuJson(read.text, show(hokuJsonPath));
    problems.push(...parsed.problems);
    hokuJson = parsed.value;
  }
  problems.push(...validateAddons(appJson.addons, knownServices(hokuJson.services), appJsonName));

  const procfile = readProcfile(procfilePath ?? resolve(dir, "Procfile"), dir, show, request);
  problems.push(...procfile.problems);
  if (procfile.note) notes.push(procfile.note);

  const envFiles: EnvFileText[] = [];
  const named = request.envFiles !== undefined;
  for (const file of request.envFiles ?? [".env"]) {
    const path = named ? resolve(request.cwd, file) : resolve(dir, file);
    if (!existsSync(path)) {
      if (named)
        problems.push({
          file: show(path),
          message: "env file not found",
          hint: file.includes("=")
            ? "hoku's -e/--env names env files; to set vars for one command, as heroku run's -e does, use --set KEY=value;KEY2=value2"
            : "check the path given to -e/--env (paths are relative to the current directory)",
          severity: "error",
        });
      continue;
    }
    const read = readInputFile(path, show(path));
    if (read.problem) problems.push(read.problem);
    else envFiles.push({ name: show(path), text: read.text });
  }
  const expand = request.expand ?? true;
  const fileEnv = mergeEnvFiles(envFiles, { expand, shell: request.shell });
  problems.push(...fileEnv.problems);

  return {
    dir,
    name: appJson.name ?? basename(dir),
    procfileName: procfile.name,
    types: procfile.types,
    notes,
    appJson,
    appJsonName,
    hokuJson,
    fileEnv: fileEnv.value,
    fileEnvOrigins: fileEnv.origins,
    envFiles,
    expand,
    problems,
  };
}

/**
 * An app.json problem as running the working tree sees it. `heroku local` ignores app.json, so
 * only what hoku itself acts on locally (the add-ons, and a document it cannot read at all)
 * stops the app; the rest, which Heroku's app setup (`hoku apps:setup`) would refuse, is a warning.
 */
function locally(problem: Problem): Problem {
  if (problem.severity === "warning" || problem.path === undefined || problem.path.startsWith("/addons")) return problem;
  const hint = "heroku local ignores app.json, so the app runs; an app set up from it (hoku apps:setup) would be refused";
  return { ...problem, severity: "warning", hint: problem.hint ? `${problem.hint} (${hint})` : hint };
}

/**
 * The app's folder, found as git finds its root: the nearest folder from `cwd` upwards
 * with a Procfile or an app.json, not looking above a repository's top (a folder with
 * `.git`); `cwd` itself when there is none.
 */
export function findAppRoot(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "Procfile")) || existsSync(join(dir, "app.json"))) return dir;
    if (existsSync(join(dir, ".git")) || dirname(dir) === dir) return resolve(cwd);
  }
}

function readProcfile(path: string, dir: string, show: (p: string) => string, request: LoadRequest) {
  const named = request.procfile !== undefined;
  if (existsSync(path)) {
    const read = readInputFile(path, show(path));
    if (read.problem) return { name: show(path), types: [] as ProcessType[], problems: [read.problem], note: undefined };
    const parsed = parseProcfile(read.text, show(path));
    const ignored: Problem[] = request.startCmd
      ? [{ file: "--start-cmd", message: `the start command \`${request.startCmd}\` is ignored: ${show(path)} declares the process types`, severity: "warning" }]
      : [];
    return { name: show(path), types: parsed.value, problems: [...parsed.problems, ...ignored], note: undefined };
  }
  const web = (command: string): ProcessType[] => [{ name: "web", command, line: 0, index: 0 }];
  if (request.startCmd) return { name: "--start-cmd", types: web(request.startCmd), problems: [], note: `No ${show(path)}; running --start-cmd as web: ${request.startCmd}` };
  const packageJson = resolve(dir, "package.json");
  if (!named && existsSync(packageJson) && hasStartScript(readInputFile(packageJson, show(packageJson)).text ?? "")) {
    return { name: show(packageJson), types: web("npm start"), problems: [], note: "No Procfile; using the Node.js buildpack default (package.json has a start script): web: npm start" };
  }
  const problem: Problem = {
    file: show(path),
    message: "Procfile not found",
    hint: named
      ? "check the path given to -f/--procfile"
      : "create a Procfile with a line such as `web: npm start`, add a start script to package.json, or give the command with --start-cmd",
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
