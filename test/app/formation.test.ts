/**
 * Formation (/work/shared/procfile-dotenv-cases.md, "Lifecycle" rule 4 and "Procfile" rule 8):
 * positional selection, `-m/--formation` (`all=N`, `0` to skip), app.json `formation`
 * defaults, else one of each except `release`.
 */
import { describe, test, expect } from "bun:test";
import { parseFormationSpec, resolveFormation, type FormationRequest } from "../../src/app/formation.ts";
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
  const { value, problems } = resolveFormation(TYPES, { selected: [], procfile: PROCFILE, ...request });
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
  ] as const)("%s: %p", (_name, spec, want) => {
    const { value, problems } = parseFormationSpec(spec);
    expect(problems).toEqual([]);
    expect(Object.fromEntries(value)).toEqual(want);
  });

  test.each([
    ["no count", "web", "web"],
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
    const { value, problems } = parseFormationSpec("web=2,oops,worker=1");
    expect(Object.fromEntries(value)).toEqual({ web: 2, worker: 1 });
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining("oops")]);
  });
});

describe("Lifecycle rule 4: defaults", () => {
  resolveTable([
    { name: "one of each, except release", request: {}, want: { web: 1, worker: 1, release: 0, clock: 1 } },
    { name: "app.json formation gives the defaults", request: { appJson: appJson({ web: 2, worker: 3 }) }, want: { web: 2, worker: 3, release: 0, clock: 1 } },
    { name: "app.json quantity 0 skips the type", request: { appJson: appJson({ clock: 0 }) }, want: { web: 1, worker: 1, release: 0, clock: 0 } },
    { name: "app.json quantity for release does not start it", request: { appJson: appJson({ release: 1 }) }, want: { web: 1, worker: 1, release: 0, clock: 1 } },
  ]);

  test("the formation lists every Procfile type in Procfile order", () => {
    expect(resolve({ selected: ["clock"] }).order).toEqual(["web", "worker", "release", "clock"]);
  });
});

describe("Lifecycle rule 4: positional selection", () => {
  resolveTable([
    { name: "one type", request: { selected: ["web"] }, want: { web: 1, worker: 0, release: 0, clock: 0 } },
    { name: "two types", request: { selected: ["worker", "web"] }, want: { web: 1, worker: 1, release: 0, clock: 0 } },
    { name: "naming release starts it", request: { selected: ["release"] }, want: { web: 0, worker: 0, release: 1, clock: 0 } },
    { name: "unselected types stay 0 despite app.json", request: { selected: ["web"], appJson: appJson({ worker: 2 }) }, want: { web: 1, worker: 0, release: 0, clock: 0 } },
    { name: "selection with a spec count", request: { selected: ["web"], spec: "web=3" }, want: { web: 3, worker: 0, release: 0, clock: 0 } },
    { name: "selection limits the spec", request: { selected: ["web"], spec: "web=2,worker=2" }, want: { web: 2, worker: 0, release: 0, clock: 0 } },
    { name: "selection limits all=N", request: { selected: ["web", "worker"], spec: "all=2" }, want: { web: 2, worker: 2, release: 0, clock: 0 } },
    { name: "selected type absent from the spec runs once", request: { selected: ["web"], spec: "worker=2" }, want: { web: 1, worker: 0, release: 0, clock: 0 } },
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
    { name: "the spec overrides app.json", request: { spec: "web=1", appJson: appJson({ web: 3, worker: 2 }) }, want: { web: 1, worker: 0, release: 0, clock: 0 } },
    { name: "naming release in the spec starts it", request: { spec: "release=1,web=1" }, want: { web: 1, worker: 0, release: 1, clock: 0 } },
    { name: "release=0 in the spec", request: { spec: "all=1,release=0" }, want: { web: 1, worker: 1, release: 0, clock: 1 } },
  ]);
});

describe("Procfile rule 8: release only when named or --release", () => {
  resolveTable([
    { name: "not started by default", request: {}, want: { web: 1, worker: 1, release: 0, clock: 1 } },
    { name: "--release starts it", request: { release: true }, want: { web: 1, worker: 1, release: 1, clock: 1 } },
    { name: "--release with all=N", request: { release: true, spec: "all=2" }, want: { web: 2, worker: 2, release: 2, clock: 2 } },
    { name: "--release uses the app.json quantity", request: { release: true, appJson: appJson({ release: 1, web: 2 }) }, want: { web: 2, worker: 1, release: 1, clock: 1 } },
    { name: "--release does not override a selection", request: { release: true, selected: ["web"] }, want: { web: 1, worker: 0, release: 0, clock: 0 } },
    { name: "named positionally", request: { selected: ["web", "release"] }, want: { web: 1, worker: 0, release: 1, clock: 0 } },
  ]);
});

describe("unknown process types", () => {
  test.each([
    ["positional", { selected: ["web", "wrker"] }, "wrker", "the command line"],
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

  test("app.json formation for an unknown type is only a warning", () => {
    const { quantities, problems } = resolve({ appJson: appJson({ web: 2, api: 3 }) });
    expect(quantities).toEqual({ web: 2, worker: 1, release: 0, clock: 1 });
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
