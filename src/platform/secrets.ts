/**
 * Values of app.json env vars with `generator: "secret"`: 64 random hex characters
 * (as Dokku generates them), created once per app and key, then kept in the app's
 * state folder so they stay the same across runs.
 */
import { join } from "node:path";
import { readJson, writeJson } from "./json-file.ts";
import { randomHex } from "./random.ts";

export function generateSecret(): string {
  return randomHex(32);
}

/** Returns a secret for every key, generating and saving the ones not seen before. */
export function loadSecrets(stateDir: string, keys: readonly string[]): Record<string, string> {
  const file = join(stateDir, "secrets.json");
  const known = readJson<Record<string, string>>(file, {});
  let changed = false;
  for (const key of keys) {
    if (known[key] === undefined) {
      known[key] = generateSecret();
      changed = true;
    }
  }
  if (changed) writeJson(file, known);
  return Object.fromEntries(keys.map((key) => [key, known[key]!]));
}
