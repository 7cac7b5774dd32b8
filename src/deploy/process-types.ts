/**
 * The slug's process types (pure): the Procfile's, plus the last buildpack's
 * default_process_types for the types the Procfile does not declare (the Procfile wins, BP-3),
 * and the "Discovering process types" lines Heroku prints for them.
 */
import type { ProcessType } from "../app/procfile.ts";
import { detail } from "./transcript.ts";

export interface DiscoveredTypes {
  readonly processTypes: Readonly<Record<string, string>>;
  /** The lines under `-----> Discovering process types`. */
  readonly lines: readonly string[];
}

/** `procfile` is undefined when the app has no Procfile. */
export function discoverProcessTypes(procfile: readonly ProcessType[] | undefined, defaults: Readonly<Record<string, string>>): DiscoveredTypes {
  const processTypes: Record<string, string> = { ...defaults };
  for (const type of procfile ?? []) processTypes[type.name] = type.command;

  const declared = procfile && procfile.length > 0 ? procfile.map((type) => type.name).join(", ") : "(none)";
  // Heroku lists only the defaults the Procfile leaves in place.
  const defaultNames = Object.keys(defaults).filter((name) => !procfile?.some((type) => type.name === name));
  const lines =
    defaultNames.length === 0
      ? [detail(`Procfile declares types -> ${declared}`)]
      : [detail(`Procfile declares types     -> ${declared}`), detail(`Default types for buildpack -> ${defaultNames.join(", ")}`)];
  return { processTypes, lines };
}
