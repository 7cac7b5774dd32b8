/**
 * hoku.json (pure parsing): the app's local add-on settings, kept beside app.json
 * because app.json allows no unknown keys.
 *
 *   {
 *     "images":   { "heroku-postgresql": "hoku-test/postgres:15" },   // image per service
 *     "services": { "opensearch": { "image": "opensearchproject/opensearch:2", "port": 9200,
 *                                   "vars": { "OPENSEARCH_URL": "http://{host}:{port}" } },
 *                   "mongolab":   { "command": "mongod --bind_ip 127.0.0.1 --port {port} --dbpath .",
 *                                   "vars": { "MONGOLAB_URI": "mongodb://{host}:{port}/app" } } }
 *   }
 * A custom service is used in app.json `addons` like a catalog one. It has an image (run
 * by docker; "port" is its container port), a command (run natively by bash in the
 * add-on's data folder, listening on {port}), or both. Templates may use
 * {host} {port} {user} {password} {database}.
 */
import type { Parsed, Problem } from "../app/problem.ts";
import type { Endpoint, Service } from "./catalog.ts";

export interface HokuJson {
  readonly images: Readonly<Record<string, string>>;
  readonly services: readonly Service[];
}

export const EMPTY_HOKU_JSON: HokuJson = { images: {}, services: [] };

export function fillTemplate(template: string, e: Endpoint): string {
  return template.replace(/\{(host|port|user|password|database)\}/g, (_, key: keyof Endpoint) => String(e[key]));
}

export function parseHokuJson(text: string, file: string): Parsed<HokuJson> {
  const problems: Problem[] = [];
  const problem = (path: string, message: string, hint: string) => problems.push({ file, path, message, hint, severity: "error" });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    problem("/", `invalid JSON: ${error instanceof Error ? error.message : String(error)}`, "check commas and quotes (`hoku check` validates it)");
    return { value: EMPTY_HOKU_JSON, problems };
  }
  const doc = (raw ?? {}) as { images?: unknown; services?: unknown };
  const images: Record<string, string> = {};
  for (const [service, image] of Object.entries((doc.images as Record<string, unknown>) ?? {})) {
    if (typeof image === "string" && image !== "") images[service] = image;
    else problem(`/images/${service}`, `image for ${service} must be a non-empty string`, 'e.g. "postgres:16"');
  }
  const services: Service[] = [];
  for (const [name, def] of Object.entries((doc.services as Record<string, unknown>) ?? {})) {
    const d = (def ?? {}) as { image?: unknown; command?: unknown; port?: unknown; vars?: unknown };
    const vars = d.vars as Record<string, unknown> | undefined;
    const image = typeof d.image === "string" && d.image !== "" ? d.image : undefined;
    const command = typeof d.command === "string" && d.command !== "" ? d.command : undefined;
    if ((!image && !command) || (image && !Number.isInteger(d.port)) || typeof vars !== "object" || vars === null) {
      problem(
        `/services/${name}`,
        `custom service ${name} needs "image" (string) with "port" (its container port, integer), or "command" (string), and "vars" (object of templates)`,
        '{"image": "opensearchproject/opensearch:2", "port": 9200, "vars": {"OPENSEARCH_URL": "http://{host}:{port}"}}',
      );
      continue;
    }
    const templates = Object.entries(vars).filter((e): e is [string, string] => typeof e[1] === "string");
    services.push({
      name,
      kind: "custom",
      defaultPlan: "local",
      ...(image && { image: () => image }),
      ...(command && { command }),
      containerPort: image ? (d.port as number) : 0,
      attachment: name.toUpperCase().replace(/[^A-Z0-9]/g, "_"),
      vars: (_as, e) => Object.fromEntries(templates.map(([k, t]) => [k, fillTemplate(t, e)])),
      readiness: "tcp",
    });
  }
  return { value: { images, services }, problems };
}
