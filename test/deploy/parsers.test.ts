// The build's pure parts: .slugignore, buildpack references, bin/release YAML, process types, config_vars.
import { expect, test } from "bun:test";
import { parseBuildpackRef, parseDotBuildpacks } from "../../src/deploy/buildpack-ref.ts";
import { configVarsScript } from "../../src/deploy/config-vars-profile.ts";
import { discoverProcessTypes } from "../../src/deploy/process-types.ts";
import { parseRelease } from "../../src/deploy/release-yaml.ts";
import { parseSlugignore } from "../../src/deploy/slugignore.ts";

test(".slugignore: gitignore's globs, anchoring and folder-only patterns, no negation", () => {
  const { value: ignored, problems } = parseSlugignore("*.log\n/tmp\ndocs/\nsrc/**/*.test.js\n**/fixtures\nim?ge.[pj]ng\n!keep\n");
  const cases: [string, boolean, boolean][] = [
    ["a.log", false, true],
    ["deep/er/b.log", false, true],
    ["tmp", true, true],
    ["lib/tmp", true, false],
    ["docs", true, true],
    ["docs", false, false],
    ["lib/docs", true, true],
    ["src/a/b/c.test.js", false, true],
    ["src/c.test.js", false, true],
    ["lib/c.test.js", false, false],
    ["x/y/fixtures", true, true],
    ["image.png", false, true],
    ["imxge.jpng", false, false],
    ["keep", false, false],
  ];
  for (const [path, isDir, expected] of cases) expect({ path, isDir, ignored: ignored(path, isDir) }).toEqual({ path, isDir, ignored: expected });
  expect(problems).toMatchObject([{ file: ".slugignore", line: 7, severity: "warning" }]);
});

test("buildpack references: built-ins by name and official URL, local paths, network URLs", () => {
  expect(parseBuildpackRef("heroku/nodejs")).toEqual({ kind: "builtin", given: "heroku/nodejs", name: "heroku/nodejs" });
  for (const url of ["https://github.com/heroku/heroku-buildpack-nodejs", "https://github.com/heroku/heroku-buildpack-nodejs.git#v250", "https://buildpack-registry.s3.amazonaws.com/buildpacks/heroku/nodejs.tgz", "urn:buildpack:heroku/nodejs"]) {
    expect(parseBuildpackRef(url)).toMatchObject({ kind: "builtin", name: "heroku/nodejs" });
  }
  expect(parseBuildpackRef("file:///opt/bp%20one#main")).toEqual({ kind: "local", given: "file:///opt/bp%20one#main", path: "/opt/bp one", gitRef: "main" });
  expect(parseBuildpackRef("/opt/bp.tgz")).toMatchObject({ kind: "local", path: "/opt/bp.tgz" });
  expect(parseBuildpackRef("https://github.com/someone/buildpack.git#v1")).toMatchObject({ kind: "network", url: "https://github.com/someone/buildpack.git", gitRef: "v1" });
  expect(parseBuildpackRef("git@github.com:someone/bp.git")).toMatchObject({ kind: "network" });
  expect(parseBuildpackRef("heroku/php")).toMatchObject({ kind: "unknown", reason: expect.stringContaining("no offline copy of heroku/php") });
  expect(parseBuildpackRef("mars/create-react-app")).toMatchObject({ kind: "unknown", reason: expect.stringContaining("registry") });
  expect(parseBuildpackRef("relative/path/")).toMatchObject({ kind: "unknown" });
  expect(parseDotBuildpacks("# mine\nhttps://a/b.git\n\n  heroku/nodejs  \r\n")).toEqual(["https://a/b.git", "heroku/nodejs"]);
});

test("bin/release YAML: the three keys, scalars as strings, empty output, and what is wrong", () => {
  expect(parseRelease("--- {}\n")).toEqual({ addons: [], defaultProcessTypes: {}, configVars: {} });
  expect(parseRelease("")).toEqual({ addons: [], defaultProcessTypes: {}, configVars: {} });
  expect(parseRelease("---\naddons:\n  - heroku-postgresql\nconfig_vars:\n  PORT: 5000\n  ON: true\ndefault_process_types:\n  web: npm start\n")).toEqual({
    addons: ["heroku-postgresql"],
    configVars: { PORT: "5000", ON: "true" },
    defaultProcessTypes: { web: "npm start" },
  });
  expect(() => parseRelease("default_process_types: [web]\n")).toThrow("default_process_types is not a mapping");
  expect(() => parseRelease("config_vars:\n  A:\n    nested: 1\n")).toThrow("config_vars.A is not a string");
  expect(() => parseRelease("a: [\n")).toThrow("not YAML");
});

test("process types: the Procfile wins; Heroku's lines list the defaults it leaves", () => {
  const procfile = [{ name: "web", command: "node a.js", line: 1, index: 0 }];
  expect(discoverProcessTypes(procfile, { web: "npm start" })).toEqual({ processTypes: { web: "node a.js" }, lines: ["       Procfile declares types -> web"] });
  expect(discoverProcessTypes(procfile, { web: "x", rake: "bundle exec rake" }).lines).toEqual(["       Procfile declares types     -> web", "       Default types for buildpack -> rake"]);
  expect(discoverProcessTypes(undefined, {})).toEqual({ processTypes: {}, lines: ["       Procfile declares types -> (none)"] });
});

test("config_vars profile: quoted, and only where the dyno has no such var", () => {
  const script = configVarsScript({ A: "it's $HOME", "BAD-NAME": "x" });
  expect(script).toContain(`if [ -z "\${A+set}" ]; then export A='it'\\''s $HOME'; fi`);
  expect(script).not.toContain("BAD-NAME");
  const run = (env: Record<string, string>) => Bun.spawnSync(["bash", "-c", `${script}\necho "$A"`], { env: { PATH: "/usr/bin:/bin", ...env } }).stdout.toString();
  expect(run({})).toBe("it's $HOME\n");
  expect(run({ A: "mine" })).toBe("mine\n");
});
