/**
 * Formation: how many dynos of each process type `hoku start` runs (pure).
 *
 * Spec grammar (`-m/--formation`): `type=N[,type=N...]`, where `type` may be `all`
 * (the count for every type not named). As in foreman, a spec without `all` runs
 * only the types it names. Precedence for each type:
 *   positional selection > -m spec > app.json `formation` > 1.
 * `release` never runs unless it is named (positionally or in the spec) or
 * `--release` is given.
 */
import type { FormationSpec } from "./app-json.ts";
import type { Parsed, Problem } from "./problem.ts";
import type { ProcessType } from "./procfile.ts";

/** Process type name -> quantity, in Procfile order; quantity 0 means not started. */
export type Formation = ReadonlyMap<string, number>;

export interface FormationRequest {
  /** Types named on the command line (`hoku start web worker`); empty = all. */
  readonly selected: readonly string[];
  /** The `-m/--formation` value, if given. */
  readonly spec?: string;
  /** app.json `formation`. */
  readonly appJson?: Readonly<Record<string, FormationSpec>>;
  /** `--release`: also start the `release` type. */
  readonly release?: boolean;
  /** Where the Procfile is, for problems. */
  readonly procfile: string;
}

const PAIR = /^([A-Za-z0-9_-]{1,63})=(\d{1,4})$/;

/** Parses `web=2,worker=1,all=0`; `all` is returned under the key "all". */
export function parseFormationSpec(spec: string): Parsed<Map<string, number>> {
  const counts = new Map<string, number>();
  const problems: Problem[] = [];
  for (const pair of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
    const match = PAIR.exec(pair.replace(/\s+/g, ""));
    if (!match) {
      problems.push({
        file: "--formation",
        message: `"${pair}" is not a formation entry`,
        hint: "write type=N pairs separated by commas, e.g. web=2,worker=1 (all=N sets every type)",
        severity: "error",
      });
      continue;
    }
    counts.set(match[1]!, Number(match[2]));
  }
  return { value: counts, problems };
}

/** Decides the quantity of every Procfile type, reporting names the Procfile lacks. */
export function resolveFormation(types: readonly ProcessType[], request: FormationRequest): Parsed<Formation> {
  const known = new Set(types.map((t) => t.name));
  const names = types.map((t) => t.name).join(", ");
  const problems: Problem[] = [];
  const unknown = (name: string, where: string) =>
    problems.push({
      file: request.procfile,
      message: `${where} names process type "${name}", which the Procfile does not declare`,
      hint: `declared types: ${names}`,
      severity: "error",
    });

  const spec = request.spec === undefined ? undefined : parseFormationSpec(request.spec);
  problems.push(...(spec?.problems ?? []));
  for (const name of request.selected) if (!known.has(name)) unknown(name, "the command line");
  for (const name of spec?.value.keys() ?? []) if (name !== "all" && !known.has(name)) unknown(name, "--formation");
  for (const name of Object.keys(request.appJson ?? {}))
    if (!known.has(name))
      problems.push({
        file: "app.json",
        path: `/formation/${name}`,
        message: `formation names process type "${name}", which the Procfile does not declare; it is ignored`,
        hint: `declared types: ${names}`,
        severity: "warning",
      });

  const formation = new Map<string, number>();
  for (const { name } of types) {
    const named = request.selected.includes(name) || spec?.value.has(name) === true;
    const fromSpec = spec?.value.get(name) ?? spec?.value.get("all");
    let quantity: number;
    if (request.selected.length > 0 && !request.selected.includes(name)) quantity = 0;
    else if (name === "release" && !named && !request.release) quantity = 0;
    else if (spec !== undefined) quantity = fromSpec ?? (request.selected.includes(name) ? 1 : 0);
    else quantity = request.appJson?.[name]?.quantity ?? 1;
    formation.set(name, quantity);
  }
  return { value: formation, problems };
}
