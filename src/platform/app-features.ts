/**
 * App features (`heroku features`, `heroku labs -a APP`), as Heroku names them: general ones
 * (`preboot`) and Heroku Labs ones (`runtime-dyno-metadata`), each off until enabled. hoku keeps
 * each app's flags (apps.features, a JSON object name -> enabled); what a flag changes in the
 * dynos and the router comes with the issue that implements it. Pure: no I/O.
 */

export interface AppFeature {
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly docUrl: string;
  /** `general` ones are listed by `heroku features`, the others (`beta`) by `heroku labs`. */
  readonly state: "general" | "beta";
}

/**
 * The features hoku knows. Descriptions as the Platform API gives them where confirmed (preboot,
 * from the heroku CLI's own examples); the Labs ones' wording is **[U]** (Dev Center describes
 * them, the API's one-liners were not found).
 */
export const APP_FEATURES: readonly AppFeature[] = [
  { name: "preboot", displayName: "Preboot", description: "Provide seamless web dyno deploys", docUrl: "https://devcenter.heroku.com/articles/preboot", state: "general" },
  {
    name: "runtime-dyno-metadata",
    displayName: "Runtime Dyno Metadata",
    description: "Provide dyno metadata in environment variables",
    docUrl: "https://devcenter.heroku.com/articles/dyno-metadata",
    state: "beta",
  },
  {
    name: "runtime-dyno-build-metadata",
    displayName: "Runtime Dyno Build Metadata",
    description: "Provide build metadata in environment variables",
    docUrl: "https://devcenter.heroku.com/articles/dyno-metadata",
    state: "beta",
  },
];

/** Heroku Exec's feature: `heroku ps:exec` (and ps:copy, ps:forward, ps:socks) asks for it first. */
export const HEROKU_EXEC_FEATURE = "runtime-heroku-exec";

export function findAppFeature(name: string): AppFeature | undefined {
  return APP_FEATURES.find((f) => f.name === name);
}

/** The flags an app's `features` column holds (unknown names and non-booleans dropped). */
export function parseFeatureFlags(json: string): Record<string, boolean> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return {};
  }
  if (typeof parsed !== "object" || parsed === null) return {};
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, boolean] => typeof e[1] === "boolean" && findAppFeature(e[0]) !== undefined));
}
