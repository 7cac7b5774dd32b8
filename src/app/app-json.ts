/**
 * app.json parser (pure: no fs, no output, never throws for bad input).
 *
 * The text is parsed as strict JSON (a leading UTF-8 BOM is ignored) and checked
 * against `app-json.schema.json` (Heroku's app.json, docs/heroku-fidelity.md
 * AJ-1..AJ-7) with ajv, collecting every error. Each schema error becomes one
 * problem with its JSON pointer and, when the key can be found, its line. Then a
 * few checks the schema cannot express: duplicate add-on `as` names (error) and
 * a `name` longer than 30 characters (warning: the app.json library allows 30,
 * the platform 300).
 *
 * The returned manifest is built from the parts that are well formed, so callers
 * get a value even when there are problems; check `errorsIn(problems)` first.
 * It holds the top-level keys only; `raw` keeps the document for
 * `environments.*` overrides. Whether a required env var has a value is checked
 * when the app starts, not here.
 */
import type { ValidateFunction } from "ajv";
import schema from "./app-json.schema.json";
import { describeSchemaError, escapePointer, label, scanJson } from "./app-json-messages.ts";
import type { Parsed, Problem } from "./problem.ts";

export interface EnvVarSpec {
  readonly key: string;
  readonly description?: string;
  /** The default value. */
  readonly value?: string;
  /** Defaults to true (AJ-3). */
  readonly required: boolean;
  readonly generator?: "secret";
}

export interface AddonSpec {
  /** `heroku-postgresql` */
  readonly service: string;
  /** `essential-0`; undefined means the service's default plan. */
  readonly plan?: string;
  /** The attachment name (`PRIMARY` gives `PRIMARY_URL`). */
  readonly as?: string;
  /** Passed to the provider, e.g. `{"version": "15"}`. */
  readonly options: Readonly<Record<string, unknown>>;
}

export interface FormationSpec {
  readonly quantity: number;
  /** Lower-cased (`standard-1x`). */
  readonly size?: string;
}

export interface AppJson {
  readonly name?: string;
  readonly description?: string;
  /** In document order. */
  readonly env: readonly EnvVarSpec[];
  readonly formation: Readonly<Record<string, FormationSpec>>;
  readonly addons: readonly AddonSpec[];
  /** Buildpack URLs, in the order they run. */
  readonly buildpacks: readonly string[];
  readonly scripts: Readonly<Record<string, string>>;
  readonly stack?: string;
  /** The parsed document, as written. */
  readonly raw: unknown;
}

/** The empty manifest used when an app has no app.json. */
export const EMPTY_APP_JSON: AppJson = Object.freeze({
  env: Object.freeze([]),
  formation: Object.freeze({}),
  addons: Object.freeze([]),
  buildpacks: Object.freeze([]),
  scripts: Object.freeze({}),
  raw: Object.freeze({}),
});

/** The app.json npm library's limit; the platform schema allows 300. */
export const NAME_LIMIT = 30;
const PLATFORM_NAME_LIMIT = 300;
const ENV_KEY = /^[A-Z][A-Z0-9_]*$/;
const PROCESS_TYPE = /^[a-zA-Z0-9_-]+$/;
const ADDON = /^([^:\s]+)(?::([^:\s]+))?$/;

let validator: ValidateFunction | undefined;

/**
 * The schema is compiled once, on first use. ajv is required here, not imported at the
 * top: loading it costs ~8 ms, which every command would pay even without an app.json.
 */
function validate(): ValidateFunction {
  if (!validator) {
    const Ajv: typeof import("ajv").default = require("ajv").default;
    const addFormats: typeof import("ajv-formats").default = require("ajv-formats").default;
    const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, strict: true });
    addFormats(ajv, ["uri"]);
    validator = ajv.compile(schema);
  }
  return validator;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const entries = (v: unknown): [string, unknown][] => (isObject(v) ? Object.entries(v) : []);
const items = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Parses app.json text; `file` is the name used in problems. value is undefined only if the text is not usable at all. */
export function parseAppJson(text: string, file: string): Parsed<AppJson | undefined> {
  const source = text.replace(/^\uFEFF/, "");
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch (e) {
    const found = scanJson(source).error;
    const problem: Problem = {
      file,
      ...(found && { line: found.line }),
      message: `invalid JSON: ${found?.message ?? (e instanceof Error ? e.message : String(e))}`,
      hint: found?.hint ?? "app.json must be strict JSON: double-quoted keys and strings, no trailing commas, no comments",
      severity: "error",
    };
    return { value: undefined, problems: [problem] };
  }

  const { lines, error: tooDeep } = scanJson(source);
  if (tooDeep) return { value: undefined, problems: [{ file, line: tooDeep.line, message: tooDeep.message, hint: tooDeep.hint, severity: "error" }] };
  const problems: Problem[] = [];
  const report = (path: string, message: string, hint: string, key?: string, severity: Problem["severity"] = "error") => {
    const line = (key !== undefined ? lines.get(`${path}/${escapePointer(key)}`) : undefined) ?? lines.get(path);
    problems.push({ file, ...(line !== undefined && { line }), path: path || "/", message, hint, severity });
  };

  const check = validate();
  if (!check(raw)) {
    for (const error of check.errors ?? []) {
      const said = describeSchemaError(error);
      if (said) report(error.instancePath, said.message, said.hint, said.key);
    }
  }
  if (!isObject(raw)) return { value: undefined, problems: sortByLine(problems) };

  checkAttachmentNames(raw.addons, "/addons", report);
  for (const [name, environment] of entries(raw.environments))
    if (isObject(environment)) checkAttachmentNames(environment.addons, `/environments/${escapePointer(name)}/addons`, report);

  const name = str(raw.name);
  if (name !== undefined && name.length > NAME_LIMIT)
    report(
      "/name",
      `name is ${name.length} characters long; the app.json library allows at most ${NAME_LIMIT} (the platform schema allows ${PLATFORM_NAME_LIMIT})`,
      `shorten it to ${NAME_LIMIT} characters or fewer so every tool accepts it`,
      undefined,
      "warning",
    );

  const value: AppJson = {
    ...(name !== undefined && { name }),
    ...(str(raw.description) !== undefined && { description: str(raw.description) }),
    env: entries(raw.env).flatMap(([key, spec]) => (ENV_KEY.test(key) ? envVar(key, spec) : [])),
    formation: Object.fromEntries(entries(raw.formation).flatMap(([type, spec]) => formationEntry(type, spec))),
    addons: items(raw.addons).flatMap(addon),
    buildpacks: items(raw.buildpacks).flatMap((b) => (isObject(b) && typeof b.url === "string" ? [b.url] : [])),
    scripts: Object.fromEntries(entries(raw.scripts).filter((e): e is [string, string] => typeof e[1] === "string")),
    ...(str(raw.stack) !== undefined && { stack: str(raw.stack) }),
    raw,
  };
  return { value, problems: sortByLine(problems) };
}

function envVar(key: string, spec: unknown): EnvVarSpec[] {
  if (typeof spec === "string") return [{ key, value: spec, required: true }];
  if (!isObject(spec)) return [];
  const description = str(spec.description);
  const value = str(spec.value);
  return [
    {
      key,
      ...(description !== undefined && { description }),
      ...(value !== undefined && { value }),
      required: typeof spec.required === "boolean" ? spec.required : true,
      ...(spec.generator === "secret" && { generator: "secret" as const }),
    },
  ];
}

function formationEntry(type: string, spec: unknown): [string, FormationSpec][] {
  if (!PROCESS_TYPE.test(type) || !isObject(spec)) return [];
  const { quantity, size } = spec;
  if (typeof quantity !== "number" || !Number.isInteger(quantity) || quantity < 0) return [];
  return [[type, { quantity, ...(typeof size === "string" && { size: size.toLowerCase() }) }]];
}

/** `"service"`, `"service:plan"` or `{plan, as, options}`. */
function addon(item: unknown): AddonSpec[] {
  const spec = typeof item === "string" ? item : isObject(item) ? str(item.plan) : undefined;
  const match = ADDON.exec(spec ?? "");
  if (!match) return [];
  const [, service, plan] = match;
  const as = isObject(item) ? str(item.as) : undefined;
  const options = isObject(item) && isObject(item.options) ? item.options : {};
  return [{ service: service!, ...(plan !== undefined && { plan }), ...(as && { as }), options }];
}

/** Two add-ons attached under the same name (case-insensitively) would overwrite each other's config vars. */
function checkAttachmentNames(list: unknown, path: string, report: (path: string, message: string, hint: string) => void) {
  const first = new Map<string, number>();
  items(list).forEach((item, index) => {
    const as = isObject(item) ? str(item.as) : undefined;
    if (!as) return;
    const seen = first.get(as.toUpperCase());
    if (seen === undefined) return void first.set(as.toUpperCase(), index);
    report(
      `${path}/${index}/as`,
      `attachment name "${as}" is used by two add-ons, ${label(path)}[${seen}] and ${label(path)}[${index}]`,
      `give each add-on its own "as" name; it becomes the prefix of its config vars (${as.toUpperCase()}_URL)`,
    );
  });
}

/** Problems in document order; those without a line keep their order, at the end. */
function sortByLine(problems: Problem[]): Problem[] {
  return problems
    .map((p, n) => ({ p, n }))
    .sort((a, b) => (a.p.line ?? Infinity) - (b.p.line ?? Infinity) || a.n - b.n)
    .map(({ p }) => p);
}
