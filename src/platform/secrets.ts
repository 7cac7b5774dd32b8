/**
 * Values of app.json env vars with `generator: "secret"`: 64 random hex characters, as Dokku
 * generates them. Generated once, when an app is set up from its app.json (the deploy side):
 * `hoku start` does not apply app.json env (heroku local does not either).
 */
import { randomHex } from "./random.ts";

export function generateSecret(): string {
  return randomHex(32);
}
