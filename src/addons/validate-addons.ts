/**
 * Checks app.json `addons` against the catalog and hoku.json's custom services (pure).
 * A service hoku does not run (logging, monitoring, `scheduler`, retired names) is a
 * one-line note, never a refusal: the app runs without it. An unknown plan of a service
 * hoku runs is an error that lists the plans.
 */
import { closest, distance } from "fastest-levenshtein";
import type { AddonSpec } from "../app/app-json.ts";
import type { Problem } from "../app/problem.ts";
import { CATALOG, NOT_RUN, type Service } from "./catalog.ts";

export function knownServices(custom: readonly Service[]): Service[] {
  return [...CATALOG, ...custom];
}

/** `hoku does not run papertrail (a log drain: ...); skipped`, with how to run it anyway. */
export function notRunNote(service: string): string {
  const what = NOT_RUN[service];
  return `hoku does not run ${service}${what ? ` (${what})` : ""}; skipped (hoku.json "services" can map it to an image or a command)`;
}

/** The error for a plan hoku does not know for this service, or undefined. */
export function checkPlan(service: Service, plan: string | undefined, where: { file: string; path?: string }): Problem | undefined {
  if (plan === undefined || !service.plans || service.plans.test(plan)) return undefined;
  return {
    ...where,
    message: `unknown plan "${plan}" for ${service.name}`,
    hint: `use one of Heroku's plans for ${service.name} (default ${service.defaultPlan}): ${service.planNames ?? service.plans.source}`,
    severity: "error",
  };
}

/** For a name a few letters off one hoku runs (`heroku-postgres`): did you mean it? Not for the services hoku knows it does not run. */
function typoHint(service: string, services: readonly Service[]): { hint?: string } {
  if (NOT_RUN[service] !== undefined || services.length === 0) return {};
  const near = closest(service, services.map((s) => s.name));
  return distance(service, near) <= 3 ? { hint: `did you mean ${near}? (${service} as written is skipped)` } : {};
}

export function validateAddons(specs: readonly AddonSpec[], services: readonly Service[], file: string): Problem[] {
  return specs.flatMap((spec, i): Problem[] => {
    const where = { file, path: `/addons/${i}` };
    const found = services.find((s) => s.name === spec.service);
    if (!found) return [{ ...where, message: notRunNote(spec.service), ...typoHint(spec.service, services), severity: "warning" }];
    return [checkPlan(found, spec.plan, where) ?? []].flat();
  });
}
