import { describe, expect, test } from "bun:test";
import { scanJson } from "../../src/app/app-json-messages.ts";
import { EMPTY_APP_JSON, parseAppJson, type AppJson } from "../../src/app/app-json.ts";
import { errorsIn, formatProblem, type Problem } from "../../src/app/problem.ts";

const FILE = "app.json";
const text = (doc: unknown) => JSON.stringify(doc, null, 2);
const parse = (doc: unknown) => parseAppJson(text(doc), FILE);
const errors = (doc: unknown) => errorsIn(parse(doc).problems);
/** The manifest of a document that must have no problems at all. */
const clean = (doc: unknown): AppJson => {
  const { value, problems } = parse(doc);
  expect(problems.map(formatProblem)).toEqual([]);
  expect(value).toBeDefined();
  return value!;
};

const TOP_LEVEL: Record<string, unknown> = {
  name: "my-app",
  description: "An app",
  keywords: ["node", "demo"],
  website: "https://example.com/",
  repository: "https://github.com/example/my-app",
  logo: "https://example.com/logo.svg",
  success_url: "/welcome",
  scripts: { postdeploy: "npm run seed", "pr-predestroy": "npm run cleanup" },
  env: { SECRET_KEY: { generator: "secret" } },
  formation: { web: { quantity: 1 } },
  addons: ["heroku-postgresql"],
  buildpacks: [{ url: "heroku/nodejs" }],
  environments: { test: { scripts: { test: "npm test" } } },
  stack: "heroku-24",
  image: "heroku/ruby",
};

describe("AJ-1 top-level keys", () => {
  test("the table lists all 15 keys", () => expect(Object.keys(TOP_LEVEL)).toHaveLength(15));

  test.each(Object.entries(TOP_LEVEL))("%s is accepted", (key, value) => {
    clean({ [key]: value });
  });

  test("all keys together are accepted", () => {
    clean(TOP_LEVEL);
  });

  test.each(["foo", "Name", "env_vars", "addon", "buildpack", "region", "success-url", "test"])(
    'unknown top-level key "%s" is an error at / naming the key and listing the allowed keys',
    (key) => {
      const found = errors({ name: "x", [key]: 1 });
      expect(found).toHaveLength(1);
      expect(found[0]!.path).toBe("/");
      expect(found[0]!.message).toBe(`unknown key "${key}"`);
      for (const allowed of Object.keys(TOP_LEVEL)) expect(found[0]!.hint).toContain(allowed);
      expect(found[0]!.line).toBe(3);
    },
  );

  test.each(["website", "repository", "logo"])("%s must be a URI", (key) => {
    const found = errors({ [key]: "not a url" });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: `/${key}`, severity: "error", line: 2 });
    expect(found[0]!.message).toContain("must be a URL");
    expect(found[0]!.hint).toBeDefined();
  });

  test.each([
    ["name", 12, "/name"],
    ["description", ["a"], "/description"],
    ["keywords", "node", "/keywords"],
    ["keywords", [1], "/keywords/0"],
    ["success_url", true, "/success_url"],
    ["image", {}, "/image"],
  ] as const)("%s with a wrong type (%j) is an error at %s", (key, value, path) => {
    const found = errors({ [key]: value });
    expect(found.map((p) => p.path)).toEqual([path]);
    expect(found[0]!.message).toContain("must be");
  });

  test("a document that is not an object is unusable", () => {
    for (const doc of [[], "app", 3, null]) {
      const { value, problems } = parse(doc);
      expect(value).toBeUndefined();
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ path: "/", severity: "error" });
      expect(problems[0]!.message).toContain("must hold a JSON object");
    }
  });
});

describe("AJ-1 name length", () => {
  test("30 characters: no problem", () => {
    expect(clean({ name: "a".repeat(30) }).name).toBe("a".repeat(30));
  });

  test.each([31, 300, 301])("%i characters: a warning naming both limits, not an error", (length) => {
    const { value, problems } = parse({ name: "a".repeat(length) });
    expect(errorsIn(problems)).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: "warning", path: "/name", line: 2 });
    expect(problems[0]!.message).toContain("30");
    expect(problems[0]!.message).toContain("300");
    expect(value?.name).toBe("a".repeat(length));
  });
});

describe("AJ-2 scripts", () => {
  test("postdeploy and pr-predestroy are kept", () => {
    expect(clean({ scripts: { postdeploy: "a", "pr-predestroy": "b" } }).scripts).toEqual({ postdeploy: "a", "pr-predestroy": "b" });
  });

  test.each(["test", "test-setup", "release", "predeploy", "Postdeploy"])('top-level scripts key "%s" is rejected', (key) => {
    const found = errors({ scripts: { [key]: "x" } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: "/scripts", message: `unknown key "${key}" in scripts`, line: 3 });
    expect(found[0]!.hint).toContain("postdeploy, pr-predestroy");
  });

  test.each([[{ command: "x" }], [1], [["a"]]])("postdeploy must be a string, not %j", (value) => {
    expect(errors({ scripts: { postdeploy: value } }).map((p) => p.path)).toEqual(["/scripts/postdeploy"]);
  });

  test("scripts must be an object", () => {
    expect(errors({ scripts: "npm run seed" }).map((p) => p.path)).toEqual(["/scripts"]);
  });
});

describe("AJ-3 env", () => {
  test.each(["A", "DATABASE_URL", "X1", "A_1_B", "WEB_CONCURRENCY"])("key %s is accepted", (key) => {
    expect(clean({ env: { [key]: "v" } }).env.map((e) => e.key)).toEqual([key]);
  });

  test.each(["lower", "Mixed", "1ABC", "_X", "MY-VAR", "MY VAR", "É"])('key "%s" is rejected, saying keys are upper case', (key) => {
    const found = errors({ env: { OK: "1", [key]: "v" } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: "/env", line: 4 });
    expect(found[0]!.message).toContain(`"${key}"`);
    expect(found[0]!.hint).toContain("upper case");
    expect(found[0]!.hint).toContain("DATABASE_URL");
  });

  test("a string value is the default and the var is required", () => {
    expect(clean({ env: { GREETING: "hello" } }).env).toEqual([{ key: "GREETING", value: "hello", required: true }]);
  });

  test("an object without required is required (default true)", () => {
    expect(clean({ env: { API_KEY: { description: "the key" } } }).env).toEqual([{ key: "API_KEY", description: "the key", required: true }]);
  });

  test("required false, value and generator are kept", () => {
    const env = clean({
      env: { A: { value: "1", required: false }, B: { generator: "secret" }, C: { required: true } },
    }).env;
    expect(env).toEqual([
      { key: "A", value: "1", required: false },
      { key: "B", required: true, generator: "secret" },
      { key: "C", required: true },
    ]);
  });

  test("required with no value and no generator is fine at parse time", () => {
    expect(clean({ env: { NEEDED: { required: true } } }).env[0]).toEqual({ key: "NEEDED", required: true });
  });

  test.each([
    ["an unknown key", { default: "x" }, "/env/FOO", 'unknown key "default" in env.FOO'],
    ["a generator other than secret", { generator: "random" }, "/env/FOO/generator", 'env.FOO.generator must be "secret", not "random"'],
    ["a non-string value", { value: 3 }, "/env/FOO/value", "env.FOO.value must be a string, not 3"],
    ["a non-boolean required", { required: "yes" }, "/env/FOO/required", 'env.FOO.required must be true or false, not "yes"'],
    ["a non-string description", { description: ["x"] }, "/env/FOO/description", "env.FOO.description must be a string"],
  ] as const)("an env object with %s is rejected", (_, spec, path, message) => {
    const found = errors({ env: { FOO: spec } });
    expect(found).toHaveLength(1);
    expect(found[0]!.path).toBe(path);
    expect(found[0]!.message).toContain(message);
    expect(found[0]!.line).toBe(4);
  });

  test.each([[3], [true], [null], [["a"]]])("an env value %j (not a string or object) is rejected", (value) => {
    const found = errors({ env: { FOO: value } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: "/env/FOO", line: 3 });
    expect(found[0]!.message).toContain("must be a string or an object");
  });

  test("env keeps document order", () => {
    expect(clean({ env: { Z: "1", A: "2", M: "3" } }).env.map((e) => e.key)).toEqual(["Z", "A", "M"]);
  });
});

describe("AJ-4 formation", () => {
  test.each([
    "eco", "basic", "standard-1x", "standard-2x", "performance-m", "performance-l", "free", "hobby",
    "private-s", "private-l", "shield-m", "shield-l-ram",
  ])("size %s is accepted", (size) => {
    expect(clean({ formation: { web: { quantity: 1, size } } }).formation).toEqual({ web: { quantity: 1, size } });
  });

  test.each(["Standard-1X", "STANDARD-2X", "Eco", "Performance-L", "Private-M", "SHIELD-S"])("size %s is accepted case-insensitively and lower-cased", (size) => {
    expect(clean({ formation: { web: { quantity: 1, size } } }).formation.web?.size).toBe(size.toLowerCase());
  });

  test.each(["huge", "standard-3x", "standard", "private-", "shield", "performance-xxl", " eco", ""])('size "%s" is rejected', (size) => {
    const found = errors({ formation: { web: { quantity: 1, size } } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: "/formation/web/size", line: 5 });
    expect(found[0]!.message).toContain("unknown dyno size");
    expect(found[0]!.hint).toContain("standard-1x");
  });

  test.each([
    ["negative", -1, "formation.web.quantity must be 0 or more, not -1"],
    ["not an integer", 1.5, "formation.web.quantity must be a whole number, not 1.5"],
    ["a string", "2", 'formation.web.quantity must be a whole number, not "2"'],
  ] as const)("quantity %s is rejected", (_, quantity, message) => {
    const found = errors({ formation: { web: { quantity } } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: "/formation/web/quantity", message, line: 4 });
  });

  test("quantity is required", () => {
    const found = errors({ formation: { web: { size: "eco" } } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: "/formation/web", message: 'formation.web is missing "quantity"', line: 3 });
    expect(found[0]!.hint).toContain('"quantity"');
  });

  test("quantity 0 is accepted", () => {
    expect(clean({ formation: { worker: { quantity: 0 } } }).formation).toEqual({ worker: { quantity: 0 } });
  });

  test.each(["web.1", "web worker", "wéb", ""])('process type "%s" is rejected', (type) => {
    const found = errors({ formation: { [type]: { quantity: 1 } } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: "/formation", line: 3 });
    expect(found[0]!.message).toContain(`process type "${type}"`);
  });

  test.each(["web", "worker_2", "clock-1", "Web"])("process type %s is accepted", (type) => {
    expect(Object.keys(clean({ formation: { [type]: { quantity: 2 } } }).formation)).toEqual([type]);
  });

  test("an unknown key in a formation entry is rejected", () => {
    expect(errors({ formation: { web: { quantity: 1, command: "npm start" } } }).map((p) => [p.path, p.message])).toEqual([
      ["/formation/web", 'unknown key "command" in formation.web'],
    ]);
  });

  test("formation entries with errors are left out of the value", () => {
    const { value } = parse({ formation: { web: { quantity: 2 }, bad: { quantity: -1 }, "x.y": { quantity: 1 } } });
    expect(value?.formation).toEqual({ web: { quantity: 2 } });
  });
});

describe("AJ-5 addons", () => {
  test.each([
    ["a service", "heroku-postgresql", { service: "heroku-postgresql", options: {} }],
    ["service:plan", "heroku-redis:mini", { service: "heroku-redis", plan: "mini", options: {} }],
    ["an object", { plan: "heroku-postgresql:essential-0", as: "PRIMARY", options: { version: "15" } }, { service: "heroku-postgresql", plan: "essential-0", as: "PRIMARY", options: { version: "15" } }],
    ["an object with a bare service", { plan: "papertrail" }, { service: "papertrail", options: {} }],
  ] as const)("%s is read", (_, item, spec) => {
    expect(clean({ addons: [item] }).addons).toEqual([spec]);
  });

  test("order is kept", () => {
    expect(clean({ addons: ["b", "a:x", { plan: "c" }] }).addons.map((a) => a.service)).toEqual(["b", "a", "c"]);
  });

  test.each([
    ["an object without plan", { as: "DB" }, "/addons/0", 'addons[0] is missing "plan"'],
    ["an object with an unknown key", { plan: "x", name: "db" }, "/addons/0", 'unknown key "name" in addons[0]'],
    ["a number", 5, "/addons/0", "addons[0] must be a string or an object, not 5"],
    ["two colons", "a:b:c", "/addons/0", 'add-on "a:b:c" in addons[0] is not "service" or "service:plan"'],
    ["a space", "heroku postgresql", "/addons/0", 'is not "service" or "service:plan"'],
    ["an empty plan", "heroku-redis:", "/addons/0", 'is not "service" or "service:plan"'],
    ["options not an object", { plan: "x", options: "v=1" }, "/addons/0/options", "addons[0].options must be an object"],
    ["an empty as", { plan: "x", as: "" }, "/addons/0/as", 'attachment name "" in addons[0].as is not a config var name'],
    ["an as that would set another var (LD_PRELOAD=...)", { plan: "x", as: "LD_PRELOAD=/x.so:Y" }, "/addons/0/as", 'attachment name "LD_PRELOAD=/x.so:Y" in addons[0].as is not a config var name'],
  ] as const)("%s is rejected", (_, item, path, message) => {
    const found = errors({ addons: [item] });
    expect(found).toHaveLength(1);
    expect(found[0]!.path).toBe(path);
    expect(found[0]!.message).toContain(message);
    expect(found[0]!.hint).toBeDefined();
  });

  test("addons must be an array", () => {
    expect(errors({ addons: "heroku-postgresql" }).map((p) => p.path)).toEqual(["/addons"]);
  });

  test("duplicate as names are an error at the second one, case-insensitively", () => {
    const found = errors({ addons: [{ plan: "heroku-postgresql", as: "DB" }, "heroku-redis", { plan: "heroku-postgresql", as: "db" }] });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: "/addons/2/as", line: 10 });
    expect(found[0]!.message).toContain("addons[0] and addons[2]");
  });

  test("duplicate as names in an environment are an error too", () => {
    const found = errors({ environments: { review: { addons: [{ plan: "a", as: "X" }, { plan: "b", as: "X" }] } } });
    expect(found.map((p) => p.path)).toEqual(["/environments/review/addons/1/as"]);
  });

  test("distinct as names and repeated services without as are fine", () => {
    clean({ addons: [{ plan: "heroku-postgresql", as: "A" }, { plan: "heroku-postgresql", as: "B" }, "heroku-redis", "heroku-redis"] });
  });
});

describe("AJ-6 buildpacks, stack, image", () => {
  test("buildpack urls are kept in order", () => {
    expect(clean({ buildpacks: [{ url: "heroku/nodejs" }, { url: "https://github.com/x/y.git" }] }).buildpacks).toEqual([
      "heroku/nodejs",
      "https://github.com/x/y.git",
    ]);
  });

  test.each([
    ["a string item", ["heroku/nodejs"], "/buildpacks/0", "buildpacks[0] must be an object"],
    ["an item without url", [{}], "/buildpacks/0", 'buildpacks[0] is missing "url"'],
    ["an item with an unknown key", [{ url: "x", name: "y" }], "/buildpacks/0", 'unknown key "name" in buildpacks[0]'],
    ["an object instead of an array", { url: "x" }, "/buildpacks", "buildpacks must be an array"],
  ] as const)("%s is rejected", (_, buildpacks, path, message) => {
    const found = errors({ buildpacks });
    expect(found).toHaveLength(1);
    expect(found[0]!.path).toBe(path);
    expect(found[0]!.message).toContain(message);
  });

  test.each(["heroku-18", "heroku-20", "heroku-22", "heroku-24"])("stack %s is accepted", (stack) => {
    expect(clean({ stack }).stack).toBe(stack);
  });

  test.each(["heroku-16", "cedar-14", "heroku-25", "Heroku-24"])("stack %s is rejected", (stack) => {
    const found = errors({ stack });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: "/stack", message: `unsupported stack "${stack}"`, line: 2 });
    expect(found[0]!.hint).toContain("heroku-18, heroku-20, heroku-22, heroku-24");
  });
});

describe("AJ-7 environments", () => {
  test.each(["test", "review", "production"])("%s may override env, formation, addons and buildpacks", (name) => {
    clean({
      environments: {
        [name]: { env: { A: "1" }, formation: { web: { quantity: 0 } }, addons: ["heroku-redis:mini"], buildpacks: [{ url: "heroku/ruby" }] },
      },
    });
  });

  test("test may have scripts test and test-setup", () => {
    const value = clean({ environments: { test: { scripts: { "test-setup": "setup", test: "npm test" } } } });
    expect(value.raw).toEqual({ environments: { test: { scripts: { "test-setup": "setup", test: "npm test" } } } });
  });

  test.each(["staging", "development", "ci", "Test"])('unknown environment "%s" is rejected', (name) => {
    const found = errors({ environments: { [name]: {} } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: "/environments", message: `unknown environment "${name}"`, line: 3 });
    expect(found[0]!.hint).toContain("test, review, production");
  });

  test.each([
    ["scripts outside test", { review: { scripts: { postdeploy: "x" } } }, "/environments/review", 'unknown key "scripts" in environments.review'],
    ["an unknown test script", { test: { scripts: { lint: "x" } } }, "/environments/test/scripts", 'unknown key "lint" in environments.test.scripts'],
    ["a top-level-only key", { production: { stack: "heroku-24" } }, "/environments/production", 'unknown key "stack"'],
    ["a bad env key", { test: { env: { lower: "x" } } }, "/environments/test/env", 'env var name "lower" in environments.test.env'],
    ["a bad quantity", { production: { formation: { web: { quantity: -2 } } } }, "/environments/production/formation/web/quantity", "must be 0 or more"],
    ["an addon without plan", { review: { addons: [{ as: "X" }] } }, "/environments/review/addons/0", 'is missing "plan"'],
    ["a buildpack without url", { test: { buildpacks: [{}] } }, "/environments/test/buildpacks/0", 'is missing "url"'],
  ] as const)("%s is rejected", (_, environments, path, message) => {
    const found = errors({ environments });
    expect(found).toHaveLength(1);
    expect(found[0]!.path).toBe(path);
    expect(found[0]!.message).toContain(message);
  });

  test("overrides do not leak into the top-level value", () => {
    const value = clean({ env: { A: "base" }, environments: { test: { env: { A: "test", B: "x" } } } });
    expect(value.env).toEqual([{ key: "A", value: "base", required: true }]);
  });
});

describe("invalid JSON", () => {
  test.each([
    ["a trailing comma in an object", '{\n  "name": "x",\n}', 2, "trailing comma"],
    ["a trailing comma in an array", '{\n  "addons": [\n    "a",\n  ]\n}', 3, "trailing comma"],
    ["a missing comma", '{\n  "name": "x"\n  "description": "y"\n}', 2, 'missing ","'],
    ["a missing value", '{\n  "name": \n}', 3, "expected a value"],
    ["a missing colon", '{\n\n  "name" "x"\n}', 3, '":"'],
    ["a comment", '{\n  // the name\n  "name": "x"\n}', 2, "comments"],
    ["single quotes", "{\n\n  'name': 'x'\n}", 3, "double quotes"],
    ["an unquoted key", "{\n  name: 1\n}", 2, "double quotes"],
    ["an unterminated string", '{\n  "name": "x\n}', 2, "unterminated string"],
    ["a bad escape", '{\n  "a": "\\q"\n}', 2, "invalid escape"],
    ["a leading zero", '{\n  "a": 01\n}', 2, "invalid number"],
    ["a bare word", '{\n  "a": yes\n}', 2, "unexpected"],
    ["a missing closing brace", '{\n  "env": {\n    "A": "1"\n  }\n', 5, "unexpected end of file"],
    ["text after the document", '{}\n\n{}', 3, "after the end"],
    ["an empty file", "", 1, "empty"],
    ["a blank file", "  \n\n", 3, "empty"],
    ["CRLF line endings", '{\r\n  "a": 1,\r\n}', 2, "trailing comma"],
  ])("%s is one error with its line", (_, source, line, message) => {
    expect(() => JSON.parse(source)).toThrow(); // the case really is invalid JSON
    const { value, problems } = parseAppJson(source, FILE);
    expect(value).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: FILE, line, severity: "error" });
    expect(problems[0]!.message).toStartWith("invalid JSON: ");
    expect(problems[0]!.message).toContain(message);
    expect(problems[0]!.hint).toBeTruthy();
    expect(problems[0]!.path).toBeUndefined();
  });

  test("the file name given is used", () => {
    expect(parseAppJson("{", "sub/app.json").problems[0]!.file).toBe("sub/app.json");
  });

  test("a leading BOM is accepted", () => {
    expect(parseAppJson('\uFEFF{"name": "x"}', FILE)).toMatchObject({ value: { name: "x" }, problems: [] });
  });

  test("never throws, even for very deep nesting or garbage", () => {
    const inputs = ["[".repeat(100_000), "{".repeat(50_000), "\u0000", "}", '{"a":' + '{"a":'.repeat(10_000), "null", "0"];
    for (const input of inputs) {
      const result = parseAppJson(input, FILE);
      expect(errorsIn(result.problems).length).toBeGreaterThan(0);
      expect(result.value).toBeUndefined();
    }
  });
});

describe("problems", () => {
  const broken = {
    name: 5,
    colour: "blue",
    website: "nope",
    env: { lower: "x", OK: { generator: "uuid" } },
    formation: { web: { quantity: -1, size: "huge" } },
    addons: [{ as: "DB" }],
    stack: "cedar",
  };

  test("every error is reported, each with its path, line and hint, in document order", () => {
    const found = parse(broken).problems;
    expect(found.map((p) => [p.line, p.path])).toEqual([
      [2, "/name"],
      [3, "/"],
      [4, "/website"],
      [6, "/env"],
      [8, "/env/OK/generator"],
      [13, "/formation/web/quantity"],
      [14, "/formation/web/size"],
      [18, "/addons/0"],
      [22, "/stack"],
    ]);
    for (const p of found) {
      expect(p).toMatchObject({ file: FILE, severity: "error" });
      expect(p.hint).toBeTruthy();
    }
  });

  test("a value is still returned, built from the well-formed parts", () => {
    const { value } = parse({ ...broken, env: { ...broken.env, GOOD: "1" }, addons: ["heroku-redis", { as: "X" }] });
    expect(value?.env.map((e) => e.key)).toEqual(["OK", "GOOD"]);
    expect(value?.addons).toEqual([{ service: "heroku-redis", options: {} }]);
    expect(value?.name).toBeUndefined();
    expect(value?.stack).toBe("cedar");
  });

  test("formatted problems name the line", () => {
    const [first] = parse({ foo: 1 }).problems as Problem[];
    expect(formatProblem(first!)).toBe(
      'app.json:2 /: unknown key "foo"\n    hint: allowed keys: name, description, keywords, website, repository, logo, success_url, scripts, env, formation, addons, buildpacks, environments, stack, image',
    );
  });

  test("keys with / and ~ get escaped JSON pointers", () => {
    const found = errors({ formation: { "a/b": { quantity: 1 }, "c~d": { quantity: -1 } } });
    expect(found.map((p) => p.path)).toEqual(["/formation", "/formation", "/formation/c~0d/quantity"]);
    expect(found.map((p) => p.line)).toEqual([3, 6, 7]);
  });

  test("the line is found in compact JSON too", () => {
    const found = parseAppJson('{"name":"x",\n"env":{"A":"1",\n"b":"2"}}', FILE).problems;
    expect(found.map((p) => [p.line, p.path])).toEqual([[3, "/env"]]);
  });
});

describe("scanJson", () => {
  test("maps pointers to the lines of their keys", () => {
    const { lines, error } = scanJson('{\n  "a": {\n    "b/c": [\n      1,\n      {"d~": 2}\n    ]\n  }\n}');
    expect(error).toBeUndefined();
    expect(Object.fromEntries(lines)).toEqual({ "": 1, "/a": 2, "/a/b~1c": 3, "/a/b~1c/0": 4, "/a/b~1c/1": 5, "/a/b~1c/1/d~0": 5 });
  });

  test("agrees with JSON.parse on valid documents", () => {
    for (const doc of [TOP_LEVEL, [1, -2.5e3, "\u00e9\n", true, false, null, {}], "s", 0])
      expect(scanJson(JSON.stringify(doc, null, 2)).error).toBeUndefined();
  });
});

describe("EMPTY_APP_JSON", () => {
  test("is empty and frozen", () => {
    expect(EMPTY_APP_JSON).toEqual({ env: [], formation: {}, addons: [], buildpacks: [], scripts: {}, raw: {} });
    expect(Object.isFrozen(EMPTY_APP_JSON)).toBe(true);
    expect(Object.isFrozen(EMPTY_APP_JSON.env)).toBe(true);
  });

  test("equals the value of an empty app.json", () => {
    expect(parseAppJson("{}", FILE)).toEqual({ value: EMPTY_APP_JSON, problems: [] });
  });
});
