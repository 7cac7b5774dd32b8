/**
 * A dyno's environment (/work/shared/procfile-dotenv-cases.md, "Env files" rule 2):
 * env files override the shell, `--shell-env-wins` reverses it, app.json `env`
 * defaults apply under both and only when a var is absent; required vars must have
 * a value somewhere.
 */
import { describe, test, expect } from "bun:test";
import { composeEnv, type EnvSources, localEnv, missingRequiredVars } from "../../src/app/dyno-env.ts";
import type { EnvVarSpec } from "../../src/app/app-json.ts";

interface Sources {
  readonly shell?: Record<string, string | undefined>;
  readonly files?: Record<string, string>;
  readonly appJson?: readonly EnvVarSpec[];
  readonly secrets?: Record<string, string>;
  readonly shellEnvWins?: boolean;
}

function compose(s: Sources) {
  const sources: EnvSources = {
    shell: s.shell ?? {},
    files: new Map(Object.entries(s.files ?? {})),
    appJson: s.appJson ?? [],
    secrets: s.secrets ?? {},
    ...(s.shellEnvWins !== undefined && { shellEnvWins: s.shellEnvWins }),
  };
  return composeEnv(sources);
}

interface EnvCase {
  readonly name: string;
  readonly sources: Sources;
  readonly want: Record<string, string>;
}

/** Each case composes without problems to exactly `want`. */
function envTable(cases: readonly EnvCase[]) {
  test.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const { env, problems } = compose(c.sources);
    expect(problems).toEqual([]);
    expect(env).toEqual(c.want);
  });
}

describe("rule 2: env files override the shell", () => {
  envTable([
    { name: "file wins over the shell", sources: { shell: { A: "shell" }, files: { A: "file" } }, want: { A: "file" } },
    { name: "both kept when keys differ", sources: { shell: { A: "1" }, files: { B: "2" } }, want: { A: "1", B: "2" } },
    { name: "an empty file value still wins", sources: { shell: { A: "shell" }, files: { A: "" } }, want: { A: "" } },
    { name: "an empty shell value is kept", sources: { shell: { A: "" } }, want: { A: "" } },
    { name: "undefined shell entries are dropped", sources: { shell: { A: undefined, B: "1" } }, want: { B: "1" } },
    { name: "PORT from the file wins", sources: { shell: { PORT: "7000", PATH: "/bin" }, files: { PORT: "6000" } }, want: { PORT: "6000", PATH: "/bin" } },
  ]);
});

describe("rule 2: --shell-env-wins reverses it", () => {
  envTable([
    { name: "shell wins over the file", sources: { shellEnvWins: true, shell: { A: "shell" }, files: { A: "file" } }, want: { A: "shell" } },
    { name: "file fills what the shell lacks", sources: { shellEnvWins: true, shell: { A: "1" }, files: { A: "x", B: "2" } }, want: { A: "1", B: "2" } },
    { name: "an empty shell value still wins", sources: { shellEnvWins: true, shell: { A: "" }, files: { A: "file" } }, want: { A: "" } },
    { name: "an undefined shell entry does not win", sources: { shellEnvWins: true, shell: { A: undefined }, files: { A: "file" } }, want: { A: "file" } },
    { name: "shellEnvWins: false is the default order", sources: { shellEnvWins: false, shell: { A: "shell" }, files: { A: "file" } }, want: { A: "file" } },
  ]);
});

describe("rule 2: app.json env defaults apply under both, only when absent", () => {
  const DEFAULTS: EnvVarSpec[] = [
    { key: "A", value: "app", required: true },
    { key: "B", value: "app", required: false },
  ];

  for (const shellEnvWins of [false, true]) {
    describe(`shellEnvWins: ${shellEnvWins}`, () => {
      envTable([
        { name: "applies when absent everywhere", sources: { shellEnvWins, appJson: DEFAULTS }, want: { A: "app", B: "app" } },
        { name: "the shell beats the default", sources: { shellEnvWins, appJson: DEFAULTS, shell: { A: "shell" } }, want: { A: "shell", B: "app" } },
        { name: "a file beats the default", sources: { shellEnvWins, appJson: DEFAULTS, files: { B: "file" } }, want: { A: "app", B: "file" } },
        { name: "an empty value beats the default", sources: { shellEnvWins, appJson: DEFAULTS, files: { A: "" }, shell: { B: "" } }, want: { A: "", B: "" } },
      ]);
    });
  }

  envTable([
    { name: "an empty default is a value", sources: { appJson: [{ key: "A", value: "", required: true }] }, want: { A: "" } },
    { name: "a default without a value sets nothing", sources: { appJson: [{ key: "A", required: false }] }, want: {} },
  ]);
});

describe("rule 2: generator secret", () => {
  const SECRET: EnvVarSpec = { key: "SECRET_KEY_BASE", required: true, generator: "secret" };

  envTable([
    { name: "uses the kept secret", sources: { appJson: [SECRET], secrets: { SECRET_KEY_BASE: "s3cr3t" } }, want: { SECRET_KEY_BASE: "s3cr3t" } },
    { name: "the secret wins over a value in app.json", sources: { appJson: [{ ...SECRET, value: "app" }], secrets: { SECRET_KEY_BASE: "s3cr3t" } }, want: { SECRET_KEY_BASE: "s3cr3t" } },
    { name: "a file value beats the secret", sources: { appJson: [SECRET], secrets: { SECRET_KEY_BASE: "s3cr3t" }, files: { SECRET_KEY_BASE: "mine" } }, want: { SECRET_KEY_BASE: "mine" } },
    { name: "a shell value beats the secret", sources: { appJson: [SECRET], secrets: { SECRET_KEY_BASE: "s3cr3t" }, shell: { SECRET_KEY_BASE: "mine" } }, want: { SECRET_KEY_BASE: "mine" } },
    { name: "only the var's own secret is used", sources: { appJson: [{ ...SECRET, required: false }], secrets: { OTHER: "x" } }, want: {} },
  ]);
});

describe("rule 2: required vars", () => {
  test.each([
    ["required, no value anywhere", [{ key: "API_KEY", required: true }], {}, "API_KEY"],
    ["required with a description", [{ key: "API_KEY", required: true, description: "the API key" }], {}, "the API key"],
    ["required secret without a kept secret", [{ key: "SECRET", required: true, generator: "secret" }], {}, "SECRET"],
    ["only the missing one is reported", [{ key: "A", required: true }, { key: "B", required: true }], { shell: { A: "1" } }, "B"],
  ] as const)("%s: an error at /env/KEY with a hint", (_name, appJson, sources, inMessage) => {
    const { env, problems } = compose({ ...sources, appJson });
    expect(problems).toHaveLength(1);
    const missing = appJson.find((s) => !(s.key in env))!.key;
    expect(problems[0]).toMatchObject({ file: "app.json", path: `/env/${missing}`, severity: "error" });
    expect(problems[0]!.message).toContain(inMessage);
    expect(problems[0]!.hint).toContain(`--env ${missing}=`);
    expect(env).not.toHaveProperty(missing);
  });

  envTable([
    { name: "present in the shell only is fine", sources: { appJson: [{ key: "API_KEY", required: true }], shell: { API_KEY: "k" } }, want: { API_KEY: "k" } },
    { name: "present in a file only is fine", sources: { appJson: [{ key: "API_KEY", required: true }], files: { API_KEY: "k" } }, want: { API_KEY: "k" } },
    { name: "present in the shell only, shellEnvWins", sources: { shellEnvWins: true, appJson: [{ key: "API_KEY", required: true }], shell: { API_KEY: "k" } }, want: { API_KEY: "k" } },
    { name: "required: false and missing is fine", sources: { appJson: [{ key: "OPTIONAL", required: false }] }, want: {} },
  ]);

  test("the problem names the app.json file the caller passed", () => {
    const { problems } = composeEnv({ shell: {}, files: new Map(), appJson: [{ key: "K", required: true }], secrets: {}, appJsonFile: "web/app.json" });
    expect(problems[0]).toMatchObject({ file: "web/app.json", path: "/env/K" });
    // The fix it names is one apps:setup takes (it reads neither the shell nor .env).
    expect(problems[0]!.hint).toBe('give it a value: hoku apps:setup --env K=..., or a "value" in app.json');
  });
});

describe("keys named like Object.prototype members", () => {
  // composeEnv builds a plain object and tests `key in env`, which sees inherited members.
  test("shellEnvWins: a file's `constructor=x` is kept when the shell lacks it", () => {
    const { env } = compose({ shellEnvWins: true, files: { constructor: "x" } });
    expect(Object.entries(env)).toEqual([["constructor", "x"]]);
  });
  test("a file's `__proto__=x` is kept", () => {
    const { env } = composeEnv({ shell: {}, files: new Map([["__proto__", "x"]]), appJson: [], secrets: {} });
    expect(Object.entries(env)).toEqual([["__proto__", "x"]]);
  });
  test("a required app.json var `toString` with no value is reported", () => {
    const { problems } = compose({ appJson: [{ key: "toString", required: true }] });
    expect(problems.map((p) => p.path)).toEqual(["/env/toString"]);
  });
});

describe("locally (hoku start, hoku run): app.json env is not applied, as heroku local ignores it", () => {
  test("localEnv is the shell overridden by the files, and nothing from app.json", () => {
    const env = localEnv({ shell: { A: "shell", B: "shell" }, files: new Map([["B", "file"], ["C", "file"]]) });
    expect({ ...env }).toEqual({ A: "shell", B: "file", C: "file" });
    expect({ ...localEnv({ shell: { B: "shell" }, files: new Map([["B", "file"]]), shellEnvWins: true }) }).toEqual({ B: "shell" });
  });

  test("missingRequiredVars: required, no value, no generator, and unset", () => {
    const specs: EnvVarSpec[] = [
      { key: "API_KEY", required: true },
      { key: "SET_IN_ENV", required: true },
      { key: "HAS_VALUE", value: "production", required: true },
      { key: "GENERATED", generator: "secret", required: true },
      { key: "OPTIONAL", required: false },
    ];
    expect(missingRequiredVars(specs, { SET_IN_ENV: "1" })).toEqual(["API_KEY"]);
  });
});
