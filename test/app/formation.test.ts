/**
 * Formation (/work/shared/procfile-dotenv-cases.md, "Lifecycle" rule 4 and "Procfile" rule 8):
 * heroku local's positional forms (`web`, `web=2`, `web=1,worker=2`), `-m/--formation`
 * (`all=N`, `0` to skip), else one of each except `release`; app.json `formation` is not
 * applied locally (heroku local ignores it).
 */
import { describe, test, expect } from "bun:test";
import { checkAppJsonFormation, parseFormationSpec, resolveFormation, type FormationRequest } from "../../src/app/formation.ts";
import { parseProcfile } from "../../src/app/procfile.ts";
import type { FormationSpec } from "../../src/app/app-json.ts";

const PROCFILE = "Procfile";
const TYPES = parseProcfile("web: a\nworker: b\nrelease: c\nclock: d\n", PROCFILE).value;

/** app.json `formation` from plain quantities. */
function appJson(quantities: Record<string, number>): Record<string, FormationSpec> {
  return Object.fromEntries(Object.entries(quantities).map(([type, quantity]) => [type, { quantity }]));
}

/** Resolves against TYPES and returns quantities as a plain object, in Procfile order. */
function resolve(request: Partial<FormationRequest>) {
  const { value, problems } = resolveFormation(TYPES, { positional: [], procfile: PROCFILE, ...request });
  return { quantities: Object.fromEntries(value), order: [...value.keys()], problems };
}

interface ResolveCase {
  readonly name: string;
  readonly request: Partial<FormationRequest>;
  /** Quantity for every Procfile type. */
  readonly want: Record<string, number>;
}

/** Each case resolves without problems to exactly `want`. */
function resolveTable(cases: readonly ResolveCase[]) {
  test.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const { quantities, problems } = resolve(c.request);
    expect(problems).toEqual([]);
    expect(quantities).toEqual(c.want);
  });
}

describe("parseFormationSpec", () => {
  test.each([
    ["one pair", "web=2", { web: 2 }],
    ["several pairs", "web=2,worker=1", { web: 2, worker: 1 }],
    ["all=N is kept under `all`", "all=3", { all: 3 }],
    ["all with overrides", "all=2,web=0", { all: 2, web: 0 }],
    ["zero", "worker=0", { worker: 0 }],
    ["spaces around pairs", " web=2 , worker=1 ", { web: 2, worker: 1 }],
    ["spaces around `=`", "web = 2", { web: 2 }],
    ["empty entries ignored", "web=1,,worker=2,", { web: 1, worker: 2 }],
    ["'-' and '_' in names", "web-2=1,q_worker=3", { "web-2": 1, q_worker: 3 }],
    ["four-digit count", "web=1000", { web: 1000 }],
    ["a repeated type: last wins", "web=1,web=3", { web: 3 }],
    ["empty spec", "", {}],
    ["a bare type counts 1", "web,worker=2", { web: 1, worker: 2 }],
  ] as const)("%s: %p", (_name, spec, want) => {
    const { value, problems } = parseFormationSpec(spec);
    expect(problems).toEqual([]);
    expect(Object.fromEntries(value)).toEqual(want);
  });

  test.each([
    ["no name", "=2", "=2"],
    ["negative count", "web=-1", "web=-1"],
    ["not a number", "web=two", "web=two"],
    ["fractional count", "web=1.5", "web=1.5"],
    ["colon instead of `=`", "web:2", "web:2"],
    ["invalid name", "my.worker=1", "my.worker=1"],
    ["five-digit count", "web=10000", "web=10000"],
  ] as const)("%s: %p is an error naming the entry", (_name, spec, entry) => {
    const { value, problems } = parseFormationSpec(spec);
    expect(value.size).toBe(0);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: "--formation", severity: "error" });
    expect(problems[0]!.message).toContain(entry);
    expect(problems[0]!.hint).toContain("web=2,worker=1");
  });

  test("good entries survive next to a bad one", () => {
    const { value, problems } = parseFormationSpec("web=2,o.ops,worker=1");
    expect(Object.fromEntries(value)).toEqual({ web: 2, worker: 1 });
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining("o.ops")]);
  });
});

describe("Lifecycle rule 4: defaults", () => {
  resolveTable([
    { name: "one of each, except release", request: {}, want: { web: 1, worker: 1, release: 0, clock: 1 } },
  ]);

  test("the formation lists every Procfile type in Procfile order", () => {
    expect(resolve({ positional: ["clock"] }).order).toEqual(["web", "worker", "release", "clock"]);
  });
});

describe("Lifecycle rule 4: positional selection", () => {
  resolveTable([
    { name: "one type", request: { positional: ["web"] }, want: { web: 1, worker: 0, release: 0, clock: 0 } },
    { name: "two types", request: { positional: ["worker", "web"] }, want: { web: 1, worker: 1, release: 0, clock: 0 } },
    { name: "naming release starts it", request: { positional: ["release"] }, want: { web: 0, worker: 0, release: 1, clock: 0 } },
    { name: "heroku local web=2: a count in the argument", request: { positional: ["web=2"] }, want: { web: 2, worker: 0, release: 0, clock: 0 } },
    { name: "heroku local web=1,worker=2: a comma-separated list", request: { positional: ["web=1,worker=2"] }, want: { web: 1, worker: 2, release: 0, clock: 0 } },
    { name: "foreman's web,worker: bare names count 1", request: { positional: ["web,worker"] }, want: { web: 1, worker: 1, release: 0, clock: 0 } },
    { name: "several arguments are one list", request: { positional: ["web=2", "clock"] }, want: { web: 2, worker: 0, release: 0, clock: 1 } },
    { name: "a count in the argument beats the spec", request: { positional: ["web=2"], spec: "web=5" }, want: { web: 2, worker: 0, release: 0, clock: 0 } },
    { name: "selection with a spec count", request: { positional: ["web"], spec: "web=3" }, want: { web: 3, worker: 0, release: 0, clock: 0 } },
    { name: "selection limits the spec", request: { positional: ["web"], spec: "web=2,worker=2" }, want: { web: 2, worker: 0, release: 0, clock: 0 } },
    { name: "selection limits all=N", request: { positional: ["web", "worker"], spec: "all=2" }, want: { web: 2, worker: 2, release: 0, clock: 0 } },
    { name: "selected type absent from the spec runs once", request: { positional: ["web"], spec: "worker=2" }, want: { web: 1, worker: 0, release: 0, clock: 0 } },
  ]);
});

describe("Lifecycle rule 4: -m/--formation", () => {
  resolveTable([
    { name: "named types only; unmentioned types are 0", request: { spec: "web=2" }, want: { web: 2, worker: 0, release: 0, clock: 0 } },
    { name: "several types", request: { spec: "web=2,worker=1" }, want: { web: 2, worker: 1, release: 0, clock: 0 } },
    { name: "all=N sets every type but release", request: { spec: "all=2" }, want: { web: 2, worker: 2, release: 0, clock: 2 } },
    { name: "all=N with an override", request: { spec: "all=2,web=1" }, want: { web: 1, worker: 2, release: 0, clock: 2 } },
    { name: "0 skips a type", request: { spec: "all=1,clock=0" }, want: { web: 1, worker: 1, release: 0, clock: 0 } },
    { name: "all=0 with one type on", request: { spec: "all=0,worker=1" }, want: { web: 0, worker: 1, release: 0, clock: 0 } },
    { name: "naming release in the spec starts it", request: { spec: "release=1,web=1" }, want: { web: 1, worker: 0, release: 1, clock: 0 } },
    { name: "release=0 in the spec", request: { spec: "all=1,release=0" }, want: { web: 1, worker: 1, release: 0, clock: 1 } },
  ]);
});

describe("Procfile rule 8: release only when named or --release", () => {
  resolveTable([
    { name: "not started by default", request: {}, want: { web: 1, worker: 1, release: 0, clock: 1 } },
    { name: "--release starts it", request: { release: true }, want: { web: 1, worker: 1, release: 1, clock: 1 } },
    { name: "--release with all=N: release still runs once", request: { release: true, spec: "all=2" }, want: { web: 2, worker: 2, release: 1, clock: 2 } },
    { name: "--release adds release to a selection", request: { release: true, positional: ["web"] }, want: { web: 1, worker: 0, release: 1, clock: 0 } },
    { name: "release=2 still runs once", request: { positional: ["release=2"] }, want: { web: 0, worker: 0, release: 1, clock: 0 } },
    { name: "named positionally", request: { positional: ["web", "release"] }, want: { web: 1, worker: 0, release: 1, clock: 0 } },
  ]);
});

describe("unknown process types", () => {
  test.each([
    ["positional", { positional: ["web", "wrker"] }, "wrker", "the command line"],
    ["in the spec", { spec: "web=1,wrker=2" }, "wrker", "--formation"],
    ["in the spec with all", { spec: "all=1,api=1" }, "api", "--formation"],
  ] as const)("%s: an error naming the type and the declared ones", (_name, request, type, where) => {
    const { problems } = resolve(request);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: PROCFILE, severity: "error" });
    expect(problems[0]!.message).toContain(`"${type}"`);
    expect(problems[0]!.message).toContain(where);
    expect(problems[0]!.hint).toContain("web, worker, release, clock");
  });

  test("`all` in the spec is not an unknown type", () => {
    expect(resolve({ spec: "all=1" }).problems).toEqual([]);
  });

  test("app.json formation for an unknown type is only a warning (hoku check)", () => {
    const problems = checkAppJsonFormation(TYPES, appJson({ web: 2, api: 3 }), "app.json");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: "app.json", path: "/formation/api", severity: "warning" });
    expect(problems[0]!.message).toContain('"api"');
  });

  test("a malformed spec entry is reported through resolveFormation", () => {
    const { problems } = resolve({ spec: "web=x" });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: "--formation", severity: "error" });
  });
});
