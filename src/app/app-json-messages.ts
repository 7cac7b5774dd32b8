/**
 * What went wrong in an app.json, said for a person (pure).
 *
 * `scanJson` is a small strict JSON scanner: Bun's `JSON.parse` errors carry no
 * position, so when parsing fails the scanner finds the line and the likely cause
 * (trailing comma, missing comma, comment, single quotes...). When parsing
 * succeeds it maps every JSON pointer to the line of its key, so schema problems
 * can name a line too. `describeSchemaError` turns one ajv error into a message
 * and a hint.
 */
import type { ErrorObject } from "ajv";

export const DOCS = "see https://devcenter.heroku.com/articles/app-json-schema";
const JSON_HINT = "app.json must be strict JSON: double-quoted keys and strings, commas between items, no trailing commas, no comments";

export interface JsonScan {
  /** JSON pointer -> 1-based line of its key (members) or of its first character (items, root). */
  readonly lines: ReadonlyMap<string, number>;
  /** Set when the text is not valid JSON. */
  readonly error?: { readonly line: number; readonly message: string; readonly hint: string };
}

export function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

class Fail {
  constructor(readonly offset: number, readonly message: string, readonly hint: string, readonly line?: number) {}
}

/** Deeper than any app.json: past it the scanner stops (and the schema checks never recurse that far). */
const MAX_DEPTH = 64;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const VALUE_START = /["{[\-0-9tfn]/;

export function scanJson(text: string): JsonScan {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const lineAt = (offset: number) => text.slice(0, offset).split("\n").length;
  const fail = (message: string, hint = JSON_HINT, offset = i): never => {
    throw new Fail(offset, message, hint);
  };
  const ws = () => {
    for (let c = text[i]; c === " " || c === "\t" || c === "\r" || c === "\n"; c = text[++i]) if (c === "\n") line++;
  };
  const unexpected = (expected: string): never => {
    const c = text[i];
    if (c === undefined) return fail(`unexpected end of file, expected ${expected}`, "the file ends too early: look for a missing } or ]");
    if (c === "/") return fail("comments are not allowed in JSON", "remove the comment");
    if (c === "'") return fail("strings must use double quotes", `write "text", not 'text'`);
    return fail(`unexpected ${JSON.stringify(c)}, expected ${expected}`);
  };
  const string = () => {
    const start = i++;
    for (;;) {
      const c = text[i];
      if (c === undefined || c === "\n" || c === "\r") return fail("unterminated string", "close the string with a double quote on the same line", start);
      if (c < " ") return fail("control character in a string", 'write tabs as \\t and newlines as \\n inside strings');
      if (c === '"') return void i++;
      if (c === "\\") {
        const e = text[i + 1] ?? "";
        if (e === "u" ? !/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)) : !'"\\/bfnrt'.includes(e) || e === "")
          return fail(`invalid escape "\\${e}" in a string`, 'valid escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX');
        i += e === "u" ? 6 : 2;
      } else i++;
    }
  };
  // After an item: "," then more, or the closing bracket. Returns true when the container is done.
  const next = (close: "}" | "]", endLine: number): boolean => {
    ws();
    if (text[i] === close) return void i++, true;
    if (text[i] === ",") {
      const comma = i++;
      ws();
      if (text[i] === close) fail(`trailing comma before "${close}"`, "JSON does not allow a comma after the last item: remove it", comma);
      return false;
    }
    if (text[i] !== undefined && VALUE_START.test(text[i]!))
      throw new Fail(i, `missing "," after the value on line ${endLine}`, `add a comma at the end of line ${endLine}`, endLine);
    return unexpected(`"," or "${close}"`);
  };
  const value = (ptr: string, depth = 0): void => {
    ws();
    if (depth > MAX_DEPTH) fail(`nested more than ${MAX_DEPTH} levels deep`, "an app.json is a few levels deep (env, formation, addons); is this the right file?");
    if (!lines.has(ptr)) lines.set(ptr, line);
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      do {
        ws();
        if (text[i] !== '"') {
          if (/[A-Za-z_$]/.test(text[i] ?? "")) fail("keys must be in double quotes", 'write "key": value');
          unexpected("a key in double quotes");
        }
        const keyLine = line;
        const start = i;
        string();
        const child = `${ptr}/${escapePointer(JSON.parse(text.slice(start, i)) as string)}`;
        lines.set(child, keyLine);
        ws();
        if (text[i] !== ":") unexpected('":" after the key');
        i++;
        value(child, depth + 1);
      } while (!next("}", line));
    } else if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      let index = 0;
      do value(`${ptr}/${index++}`, depth + 1);
      while (!next("]", line));
    } else if (c === '"') string();
    else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text) || /[0-9.eE]/.test(text[NUMBER.lastIndex] ?? "")) fail("invalid number", "numbers are like 0, 12, -3.5 or 1e3: no leading zeros, no trailing dot");
      i = NUMBER.lastIndex;
    } else {
      const word = ["true", "false", "null"].find((w) => text.startsWith(w, i));
      if (!word) unexpected("a value");
      i += word!.length;
    }
  };
  try {
    ws();
    if (i >= text.length) fail("the file is empty", 'an app.json holds one JSON object, e.g. {"name": "my-app"}');
    value("");
    ws();
    if (i < text.length) fail("unexpected text after the end of the JSON document", "the file must hold a single JSON object; remove what follows it");
    return { lines };
  } catch (e) {
    if (e instanceof Fail) return { lines, error: { line: e.line ?? lineAt(e.offset), message: e.message, hint: e.hint } };
    return { lines: new Map() }; // e.g. nesting too deep for the stack: no lines, no diagnosis
  }
}

/** A schema error said for a person; `key` is the child key the error is about, to find its line. */
export interface Described {
  readonly message: string;
  readonly hint: string;
  readonly key?: string;
}

const SIZES = "eco, basic, standard-1x, standard-2x, performance-m, performance-l, private-* or shield-* (legacy free and hobby are accepted)";
const ADDON_HINT = 'write "heroku-postgresql", "heroku-redis:mini" or {"plan": "heroku-postgresql:essential-0", "as": "DATABASE", "options": {}}';
const ENV_HINT = 'write "KEY": "default value" or "KEY": {"description": "...", "value": "...", "required": true, "generator": "secret"}';
const ARRAYS = new Set(["addons", "buildpacks", "keywords"]);

function segments(instancePath: string): string[] {
  return instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** `formation.web.quantity`, `addons[2]`, `environments.test.env.FOO`; `app.json` for the root. */
export function label(instancePath: string): string {
  const segs = segments(instancePath);
  if (segs.length === 0) return "app.json";
  return segs.map((s, n) => (n === 0 ? s : /^\d+$/.test(s) && ARRAYS.has(segs[n - 1]!) ? `[${s}]` : `.${s}`)).join("");
}

function show(data: unknown): string {
  const text = JSON.stringify(data) ?? String(data);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  object: "an object",
  array: "an array",
  boolean: "true or false",
  integer: "a whole number",
  number: "a number",
};

/** One ajv error (compiled with `verbose: true`) as a message and hint; undefined for errors another one already says. */
export function describeSchemaError(error: ErrorObject): Described | undefined {
  const where = label(error.instancePath);
  const segs = segments(error.instancePath);
  // Inside environments.<name>, the sections are the same as at the top.
  const rel = segs[0] === "environments" && segs.length > 1 ? segs.slice(2) : segs;
  const section = rel[0];
  const field = rel[rel.length - 1];
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "propertyNames":
      return undefined; // its inner `pattern` error (with propertyName) says it better
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const what = segs[0] === "environments" && segs.length === 1 ? "environment" : "key";
      const inside = segs.length === 0 || what === "environment" ? "" : ` in ${where}`;
      return { key, message: `unknown ${what} "${key}"${inside}`, hint: `allowed ${what}s${inside}: ${allowed.join(", ")}` };
    }
    case "pattern": {
      if (error.propertyName !== undefined) {
        const key = error.propertyName;
        if (section === "env") {
          const upper = key.toUpperCase().replace(/[^A-Z0-9_]/g, "_");
          const guess = /^[A-Z]/.test(upper) ? ` ("${upper}")` : "";
          return { key, message: `env var name "${key}" in ${where} is invalid`, hint: `env var names are upper case letters, digits and "_", starting with a letter, like DATABASE_URL${guess}` };
        }
        return { key, message: `process type "${key}" in ${where} is invalid`, hint: 'process type names may contain only letters, digits, "-" and "_", like web or worker' };
      }
      if (field === "size") return { message: `unknown dyno size ${show(error.data)} in ${where}`, hint: `use one of ${SIZES}` };
      if (section === "env") return { message: `${where} contains a NUL character, which no environment variable can hold`, hint: "remove the \\u0000 from the value" };
      if (field === "as")
        return { message: `attachment name ${show(error.data)} in ${where} is not a config var name`, hint: 'write letters, digits and "_", starting with a letter, like "PRIMARY_DB" (its var is PRIMARY_DB_URL)' };
      if (section === "addons") return { message: `add-on ${show(error.data)} in ${where} is not "service" or "service:plan"`, hint: ADDON_HINT };
      break;
    }
    case "required": {
      const missing = String(params.missingProperty);
      const hints: Record<string, string> = {
        quantity: 'add "quantity": 1 (how many dynos of this type to run)',
        plan: ADDON_HINT,
        url: 'write each buildpack as {"url": "heroku/nodejs"}',
      };
      return { message: `${where} is missing "${missing}"`, hint: hints[missing] ?? DOCS };
    }
    case "type": {
      const types = ([] as string[]).concat(params.type as string | string[]);
      const want = types.map((t) => TYPE_WORDS[t] ?? t).join(" or ");
      const message = `${where} must be ${want}, not ${show(error.data)}`;
      if (segs.length === 0) return { message: `app.json must hold a JSON object, not ${show(error.data)}`, hint: 'e.g. {"name": "my-app", "env": {}}' };
      if (field === "quantity") return { message, hint: "the number of dynos to run: 0, 1, 2..." };
      if (section === "env" && rel.length >= 2) return { message, hint: ENV_HINT };
      if (section === "addons" && rel.length === 2) return { message, hint: ADDON_HINT };
      return { message, hint: DOCS };
    }
    case "minimum":
      return { message: `${where} must be 0 or more, not ${show(error.data)}`, hint: "the number of dynos to run; 0 runs none of this type" };
    case "maximum":
      return { message: `${where} must be at most ${String(params.limit)}, not ${show(error.data)}`, hint: `Heroku runs at most ${String(params.limit)} dynos of one process type` };
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map((v) => String(v));
      if (field === "generator")
        return { message: `${where} must be "secret", not ${show(error.data)}`, hint: 'the only generator is "secret" (a random value); otherwise give a "value"' };
      if (field === "stack") return { message: `unsupported stack ${show(error.data)}`, hint: `use one of ${allowed.join(", ")}` };
      return { message: `${where} must be one of ${allowed.join(", ")}, not ${show(error.data)}`, hint: DOCS };
    }
    case "format":
      return { message: `${where} must be a URL, not ${show(error.data)}`, hint: "give a full URL, like https://example.com/my-app" };
    case "minLength":
      return { message: `${where} must not be empty`, hint: DOCS };
  }
  return { message: `${where} ${error.message ?? "is invalid"}`, hint: DOCS };
}
