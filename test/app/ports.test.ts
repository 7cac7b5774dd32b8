/**
 * Ports for `hoku start` (/work/shared/procfile-dotenv-cases.md, "Ports" rules 1-3).
 * Rule 4 (a taken port is an error) needs sockets: it belongs to the port probe's tests.
 * Types come from parseProcfile so that `index` is the parser's, as in hoku.
 */
import { describe, test, expect } from "bun:test";
import { assignPorts, chooseBasePort, isValidPort, peerPortVars, DEFAULT_BASE_PORT } from "../../src/app/ports.ts";
import { parseProcfile } from "../../src/app/procfile.ts";

/** The Procfile's types; fails the test if the Procfile has problems. */
function typesOf(procfile: string) {
  const { value, problems } = parseProcfile(procfile, "Procfile");
  expect(problems).toEqual([]);
  return value;
}

/** `web.1 -> port` for a Procfile and a formation. */
function ports(procfile: string, formation: Record<string, number>, base = DEFAULT_BASE_PORT) {
  const slots = assignPorts(typesOf(procfile), new Map(Object.entries(formation)), base);
  return slots.map((s) => [s.name, s.port] as const);
}

describe("rule 1: base port: -p > PORT in env files > PORT in the shell > 5006", () => {
  test.each([
    ["default", {}, 5006, "default"],
    ["shell only", { shell: "7000" }, 7000, "PORT in the shell"],
    ["env files beat the shell", { envFiles: "6000", shell: "7000" }, 6000, "PORT in the env files"],
    ["env files only", { envFiles: "6000" }, 6000, "PORT in the env files"],
    ["-p beats everything", { flag: "8000", envFiles: "6000", shell: "7000" }, 8000, "--port"],
    ["-p beats the shell", { flag: "8000", shell: "7000" }, 8000, "--port"],
    ["an empty PORT in the env files falls through", { envFiles: "", shell: "7000" }, 7000, "PORT in the shell"],
    ["an empty PORT in the shell falls through", { shell: "" }, 5006, "default"],
    ["an empty -p falls through", { flag: "", envFiles: "6000" }, 6000, "PORT in the env files"],
  ] as const)("%s", (_name, sources, port, from) => {
    expect(chooseBasePort(sources)).toEqual({ port, from });
  });

  test("the default is heroku local's 5006", () => {
    expect(DEFAULT_BASE_PORT).toBe(5006);
  });

  test.each([
    [1, true],
    [5006, true],
    [65535, true],
    [0, false],
    [65536, false],
    [-1, false],
    [50.5, false],
    [Number.NaN, false],
  ])("isValidPort(%p) is %p", (port, valid) => {
    expect(isValidPort(port)).toBe(valid);
  });

  test("a non-numeric PORT is passed on for isValidPort to reject", () => {
    expect(isValidPort(chooseBasePort({ shell: "abc" }).port)).toBe(false);
  });
});

describe("rule 2: base + 100 x Procfile position (release not counted) + 1 per instance", () => {
  const WEB_WORKER = "web: a\nworker: b\n";

  test.each([
    ["web first, worker second", WEB_WORKER, { web: 2, worker: 1 }, DEFAULT_BASE_PORT, [["web.1", 5006], ["web.2", 5007], ["worker.1", 5106]]],
    ["another base", WEB_WORKER, { web: 1, worker: 2 }, 3000, [["web.1", 3000], ["worker.1", 3100], ["worker.2", 3101]]],
    ["position counts when the first type is not started", WEB_WORKER, { web: 0, worker: 1 }, DEFAULT_BASE_PORT, [["worker.1", 5106]]],
    ["a type missing from the formation is not started", WEB_WORKER, { worker: 1 }, DEFAULT_BASE_PORT, [["worker.1", 5106]]],
    ["third type", "web: a\nworker: b\nclock: c\n", { clock: 1, web: 1 }, DEFAULT_BASE_PORT, [["web.1", 5006], ["clock.1", 5206]]],
    ["comments and blank lines do not count", "# header\n\nweb: a\n# note\n\n\nworker: b\n", { web: 1, worker: 1 }, DEFAULT_BASE_PORT, [["web.1", 5006], ["worker.1", 5106]]],
    ["order follows the Procfile, not the formation", "worker: b\nweb: a\n", { web: 1, worker: 1 }, DEFAULT_BASE_PORT, [["worker.1", 5006], ["web.1", 5106]]],
    ["many instances", "web: a\n", { web: 3 }, DEFAULT_BASE_PORT, [["web.1", 5006], ["web.2", 5007], ["web.3", 5008]]],
    ["nothing started", WEB_WORKER, { web: 0, worker: 0 }, DEFAULT_BASE_PORT, []],
    ["release listed first does not shift the others (it runs once, with no port)", "release: m\nweb: a\nworker: b\n", { release: 1, web: 1, worker: 1 }, DEFAULT_BASE_PORT, [["web.1", 5006], ["worker.1", 5106]]],
    ["release in the middle does not count either", "web: a\nrelease: m\nworker: b\n", { web: 1, worker: 1 }, DEFAULT_BASE_PORT, [["web.1", 5006], ["worker.1", 5106]]],
  ] as const)("%s", (_name, procfile, formation, base, want) => {
    expect(ports(procfile, formation, base)).toEqual(want.map((w) => [...w]));
  });

  test("more than 100 instances of a type never take the next type's ports (web.101 and worker.1 once both got base + 100)", () => {
    const slots = ports("web: a\nworker: b\n", { web: 150, worker: 101 });
    const byName = new Map(slots);
    expect(byName.get("web.100")).toBe(5105);
    expect(byName.get("worker.1")).toBe(5106);
    expect(byName.get("web.101")).toBe(5206);
    expect(byName.get("web.150")).toBe(5255);
    expect(byName.get("worker.101")).toBe(5206 + 900);
    expect(new Set(slots.map(([, port]) => port)).size).toBe(slots.length);
  });

  test("slots carry their type and 1-based instance", () => {
    const types = typesOf("web: a\nworker: b\n");
    const slots = assignPorts(types, new Map([["worker", 2]]), 5006);
    expect(slots.map((s) => [s.name, s.type.name, s.type.command, s.instance])).toEqual([
      ["worker.1", "worker", "b", 1],
      ["worker.2", "worker", "b", 2],
    ]);
  });
});

describe("rule 3: HOKU_<TYPE>_PORT for each started type", () => {
  test.each([
    ["web and worker", "web: a\nworker: b\n", { web: 2, worker: 1 }, { HOKU_WEB_PORT: "5006", HOKU_WORKER_PORT: "5106" }],
    ["the first instance's port", "web: a\n", { web: 3 }, { HOKU_WEB_PORT: "5006" }],
    ["'-' becomes '_'", "web: a\napi-v2: b\n", { "api-v2": 1 }, { HOKU_API_V2_PORT: "5106" }],
    ["'_' stays, letters upper-cased", "Web: a\nq_worker: b\n", { Web: 1, q_worker: 1 }, { HOKU_WEB_PORT: "5006", HOKU_Q_WORKER_PORT: "5106" }],
    ["types not started get none", "web: a\nworker: b\n", { web: 0, worker: 1 }, { HOKU_WORKER_PORT: "5106" }],
  ] as const)("%s", (_name, procfile, formation, want) => {
    const slots = assignPorts(typesOf(procfile), new Map(Object.entries(formation)), DEFAULT_BASE_PORT);
    expect(peerPortVars(slots)).toEqual(want);
  });
});
