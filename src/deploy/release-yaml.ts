/**
 * bin/release's answer (pure): YAML with `addons` (a list of add-on plans),
 * `default_process_types` (type -> command) and `config_vars` (name -> value), any of them
 * absent (BP-3). Empty output is an empty answer. Anything else is an error naming the
 * buildpack, since hoku cannot guess what it meant.
 */

export interface ReleaseInfo {
  readonly addons: readonly string[];
  readonly defaultProcessTypes: Readonly<Record<string, string>>;
  readonly configVars: Readonly<Record<string, string>>;
}

const EMPTY: ReleaseInfo = { addons: [], defaultProcessTypes: {}, configVars: {} };

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A map of scalars as strings (YAML reads `PORT: 5000` as a number; Heroku keeps "5000"). */
function stringMap(value: unknown, field: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isMap(value)) throw new Error(`${field} is not a mapping`);
  const map: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null || typeof item === "object") throw new Error(`${field}.${key} is not a string`);
    map[key] = String(item);
  }
  return map;
}

/** Parses bin/release's stdout; throws an Error saying what is wrong with it. */
export function parseRelease(text: string): ReleaseInfo {
  if (text.trim() === "") return EMPTY;
  let doc: unknown;
  try {
    doc = Bun.YAML.parse(text);
  } catch (error) {
    throw new Error(`its output is not YAML (${error instanceof Error ? error.message : String(error)})`);
  }
  if (Array.isArray(doc)) doc = doc[0];
  if (doc === null || doc === undefined) return EMPTY;
  if (!isMap(doc)) throw new Error("its output is not a YAML mapping");
  const addons = doc.addons ?? [];
  if (!Array.isArray(addons)) throw new Error("addons is not a list");
  return {
    addons: addons.map(String),
    defaultProcessTypes: stringMap(doc.default_process_types, "default_process_types"),
    configVars: stringMap(doc.config_vars, "config_vars"),
  };
}
