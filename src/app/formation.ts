/**
 * Formation: how many dynos of each process type `hoku start` runs (pure).
 *
 * As `heroku local` (heroku/cli `local/index.js` hands its argument to node-foreman's
 * `start [procs]`, whose `getreqs` parses it), the positional argument is a comma-separated
 * list of `type` or `type=N` entries, and several arguments are one list:
 * `hoku start web=2,worker`, `hoku start web worker=2`. Naming types runs only those.
 * `-m/--formation` takes the same entries plus `all=N` (the count for every type not named);
 * a spec without `all` runs only the types it names. Precedence for each type:
 *   positional count > -m spec > 1.
 * app.json `formation` is the deployed app's setup, not local config: heroku local ignores
 * it, and so does this (hoku check still checks its type names against the Procfile).
 * `release` never runs unless it is named (positionally or in the spec) or `--release` is
 * given (which adds it to any selection), and then it runs once, before the others.
 */
import type { FormationSpec } from "./app-json.ts";
import type { Parsed, Problem } from "./problem.ts";
import { MAX_INSTANCES } from "./ports.ts";
import type { ProcessType } from "./procfile.ts";

/** Process type name -> quantity, in Procfile order; quantity 0 means not started. */
export type Formation = ReadonlyMap<string, number>;

export interface FormationRequest {
  /** The positional arguments (`web=2,worker`, `web worker`); empty = every type. */
  readonly positional: readonly string[];
  /** The `-m/--formation` value, if given. */
  readonly spec?: string;
  /** `--release`: also run the `release` type. */
  readonly release?: boolean;
  /** Where the Procfile is, for problems. */
  readonly procfile: string;
}

const ENTRY = /^([A-Za-z0-9_-]{1,63})(?:=(\d{1,4}))?$/;

/** One entry of a formation list: `web=2` (count 2) or a bare `web` (no count). */
interface Entry {
  readonly name: string;
  readonly count?: number;
}

function parseEntries(list: string, where: string): Parsed<Entry[]> {
  const entries: Entry[] = [];
  const problems: Problem[] = [];
  for (const text of list.split(",").map((s) => s.trim()).filter(Boolean)) {
    const match = ENTRY.exec(text.replace(/\s+/g, ""));
    const count = match?.[2] === undefined ? undefined : Number(match[2]);
    if (match && count !== undefined && count > MAX_INSTANCES)
      problems.push({ file: where, message: `"${text}" asks for ${count} dynos; hoku start runs at most ${MAX_INSTANCES} of one type`, hint: `lower the count (Heroku itself runs at most 100 of one type)`, severity: "error" });
    else if (match) entries.push({ name: match[1]!, count });
    else
      problems.push({
        file: where,
        message: `"${text}" is not a formation entry`,
        hint: "write type or type=N entries separated by commas, e.g. web=2,worker=1 (all=N sets every type)",
        severity: "error",
      });
  }
  return { value: entries, problems };
}

/** Parses `web=2,worker=1,all=0` (`all` is returned under the key "all"); a bare `type` counts 1. */
export function parseFormationSpec(spec: string): Parsed<Map<string, number>> {
  const { value, problems } = parseEntries(spec, "--formation");
  return { value: new Map(value.map((e) => [e.name, e.count ?? 1])), problems };
}

/** Decides the quantity of every Procfile type, reporting names the Procfile lacks. */
export function resolveFormation(types: readonly ProcessType[], request: FormationRequest): Parsed<Formation> {
  const known = new Set(types.map((t) => t.name));
  const problems: Problem[] = [];
  const unknown = (name: string, where: string) =>
    problems.push({
      file: request.procfile,
      message: `${where} names process type "${name}", which the Procfile does not declare`,
      hint: `declared types: ${types.map((t) => t.name).join(", ")}`,
      severity: "error",
    });

  const positional = parseEntries(request.positional.join(","), "the command line");
  const selected = new Map(positional.value.map((e) => [e.name, e.count]));
  const spec = request.spec === undefined ? undefined : parseFormationSpec(request.spec);
  problems.push(...positional.problems, ...(spec?.problems ?? []));
  for (const name of selected.keys()) if (!known.has(name)) unknown(name, "the command line");
  for (const name of spec?.value.keys() ?? []) if (name !== "all" && !known.has(name)) unknown(name, "--formation");

  const fromSpec = (name: string) => spec?.value.get(name) ?? spec?.value.get("all");
  const formation = new Map<string, number>();
  for (const { name } of types) {
    let quantity: number;
    if (name === "release" && request.release) quantity = 1;
    else if (request.positional.length > 0) quantity = selected.has(name) ? (selected.get(name) ?? fromSpec(name) ?? 1) : 0;
    else if (name === "release" && !spec?.value.has("release")) quantity = 0;
    else if (spec !== undefined) quantity = fromSpec(name) ?? 0;
    else quantity = 1;
    formation.set(name, name === "release" ? Math.min(quantity, 1) : quantity);
  }
  return { value: formation, problems };
}

/** app.json `formation` entries for types the Procfile lacks (a warning: they would never run). */
export function checkAppJsonFormation(types: readonly ProcessType[], formation: Readonly<Record<string, FormationSpec>>, file: string): Problem[] {
  const known = new Set(types.map((t) => t.name));
  return Object.keys(formation)
    .filter((name) => !known.has(name))
    .map((name) => ({
      file,
      path: `/formation/${name}`,
      message: `formation names process type "${name}", which the Procfile does not declare; it is ignored`,
      hint: `declared types: ${types.map((t) => t.name).join(", ")}`,
      severity: "warning" as const,
    }));
}
