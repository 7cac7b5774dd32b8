/**
 * The app's buildpacks (buildpack-installations), and the buildpack registry lookup the heroku
 * CLI makes before it sets a name (`GET /buildpacks/heroku%2Fpython` at
 * HEROKU_BUILDPACK_REGISTRY_URL, which heroku:env points here; no token, as the registry's).
 *
 * Heroku shows its own buildpacks as `urn:buildpack:heroku/python` (name `heroku/python`) and
 * others by their URL. hoku keeps the built-ins by name, whether they came as a name, a urn or
 * the registry's .tgz, so a build says `Using buildpack: heroku/python` as Heroku's does. A
 * buildpack hoku can neither run nor try (`heroku/php`, a relative path) is refused when set,
 * not at the next push.
 */
import { BUILTIN_NAMES, parseBuildpackRef, registryUrl } from "../../../deploy/buildpack-ref.ts";
import { updateApp } from "../../records/apps.ts";
import { ApiError, body, invalid, json } from "../http.ts";
import type { RouteContext, Routes } from "./context.ts";

/** The forms Heroku shows as its urn: the registry's .tgz (what the CLI sets), the urn itself. */
const REGISTRY_FORM = /^(?:urn:buildpack:|https?:\/\/(?:buildpack-registry|codon-buildpacks)\.s3\.amazonaws\.com\/buildpacks\/)/;

/** How a buildpack is kept: a built-in in a registry form by its name, anything else as given. */
function stored(given: string): string {
  const ref = parseBuildpackRef(given);
  if (ref.kind === "unknown") {
    const what = given.replace(REGISTRY_FORM, "").replace(/\.tgz$/, "");
    throw invalid(`${ref.reason.startsWith("is ") ? `${what} ${ref.reason}` : ref.reason}. Hint: ${ref.hint}.`);
  }
  return ref.kind === "builtin" && REGISTRY_FORM.test(ref.given) ? ref.name : ref.given;
}

function installations(buildpacks: readonly string[]) {
  return buildpacks.map((given, i) => {
    const ref = parseBuildpackRef(given);
    const builtin = ref.kind === "builtin" && ref.given === ref.name;
    return { ordinal: i, buildpack: { url: builtin ? `urn:buildpack:${ref.name}` : given, name: ref.kind === "builtin" ? ref.name : given } };
  });
}

/** The registry's record of a buildpack: enough for the CLI, which reads `blob_url` (and, searching, namespace, name, category, description). */
function registryEntry(slug: string) {
  const [namespace, name] = slug.split("/") as [string, string];
  const builtin = (BUILTIN_NAMES as readonly string[]).includes(slug);
  return { id: slug, namespace, name, blob_url: registryUrl(slug), category: builtin ? "languages" : null, description: builtin ? `${slug}, built into hoku (offline)` : null, support: null };
}

/** buildpacks:search: the built-ins matching `in[namespace][]`, `in[name][]` and `like[description]`. */
function search(query: URLSearchParams) {
  const namespaces = query.getAll("in[namespace][]");
  const names = query.getAll("in[name][]");
  const like = query.get("like[description]")?.toLowerCase();
  return BUILTIN_NAMES.map(registryEntry).filter(
    (b) => (namespaces.length === 0 || namespaces.includes(b.namespace)) && (names.length === 0 || names.includes(b.name)) && (like === undefined || (b.description ?? "").toLowerCase().includes(like)),
  );
}

export function buildpackRoutes(c: RouteContext): Routes {
  return {
    "/apps/:app/buildpack-installations": {
      GET: c.guard((_, params) => installations(JSON.parse(c.app(params).buildpacks) as string[])),
      PUT: c.guard(async (request, params) => {
        const record = c.app(params);
        const given = await body<{ updates?: { buildpack?: unknown }[] }>(request);
        if (!Array.isArray(given.updates)) throw invalid("Missing updates: [{\"buildpack\": \"heroku/nodejs\"}].");
        const buildpacks = given.updates.map((u) => {
          if (typeof u?.buildpack !== "string" || u.buildpack.trim() === "") throw invalid("Each update needs a buildpack: a name like heroku/nodejs, a URL, or an absolute path.");
          return stored(u.buildpack);
        });
        updateApp(c.platform.db, record.id, { buildpacks: JSON.stringify(buildpacks) });
        return installations(buildpacks);
      }),
    },
    // Any `namespace/name` is answered with the registry's .tgz URL: the built-ins' become their
    // names when set; another is a network URL, tried at build time (offline, a clear error).
    "/buildpacks": { GET: c.guard((request) => search(new URL(request.url).searchParams), { open: true }) },
    "/buildpacks/:slug": {
      GET: c.guard(
        (_, params) => {
          const slug = decodeURIComponent(params.slug!);
          if (!/^[a-z0-9][\w-]*\/[a-z0-9][\w.-]*$/i.test(slug)) throw new ApiError(404, "not_found", `${slug} is not in the buildpack registry.`);
          return json(registryEntry(slug));
        },
        { open: true },
      ),
    },
  };
}
