/**
 * Checks app.json `addons` against the catalog and hoku.json's custom services (pure):
 * an unknown service or plan is an error that lists what hoku knows and where to add more.
 */
import type { AddonSpec } from "../app/app-json.ts";
import type { Problem } from "../app/problem.ts";
import { CATALOG, type Service } from "./catalog.ts";

export function knownServices(custom: readonly Service[]): Service[] {
  return [...CATALOG, ...custom];
}

/** A problem for a service/plan hoku cannot run, or undefined. */
export function checkServicePlan(service: string, plan: string | undefined, services: readonly Service[], where: { file: string; path?: string }): Problem | undefined {
  const found = services.find((s) => s.name === service);
  if (!found)
    return {
      ...where,
      message: `unknown add-on service "${service}"`,
      hint: `hoku runs: ${services.map((s) => s.name).join(", ")}; map any other service to an image in hoku.json "services"`,
      severity: "error",
    };
  if (plan !== undefined && found.plans && !found.plans.test(plan))
    return {
      ...where,
      message: `unknown plan "${plan}" for ${service}`,
      hint: `use one of Heroku's plans for ${service} (default ${found.defaultPlan}): ${found.planNames ?? found.plans.source}`,
      severity: "error",
    };
  return undefined;
}

export function validateAddons(specs: readonly AddonSpec[], services: readonly Service[], file: string): Problem[] {
  return specs.flatMap((spec, i) => checkServicePlan(spec.service, spec.plan, services, { file, path: `/addons/${i}` }) ?? []);
}
