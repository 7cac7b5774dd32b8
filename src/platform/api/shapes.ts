/**
 * Records as the Platform API v3 shows them: the field names and nesting the heroku CLI and
 * heroku-client read (App, Release, Formation, Dyno, Build, Account); add-ons are in addon-shapes.ts.
 */
import type { DynoInfo } from "../dyno-manager.ts";
import type { AppRecord } from "../records/apps.ts";
import type { BuildRecord } from "../records/builds.ts";
import type { FormationRecord } from "../records/formation.ts";
import type { ReleaseRecord } from "../records/releases.ts";
import type { PlatformSettings } from "../platform.ts";

export const REGION = { id: "59accabd-516d-4f0e-83e6-6e3757701145", name: "us" };
const STACK_IDS: Record<string, string> = { "heroku-24": "74cfe988-7527-4ca4-b5c1-bfd4b1c5a6f3", "heroku-22": "ee582d3c-717d-4a57-ba5f-8b3a39f3a817" };
const stack = (name: string) => ({ id: STACK_IDS[name] ?? STACK_IDS["heroku-24"], name });

/** The one local user's account id. */
const ACCOUNT_ID = "6e8d1f32-0b4c-4a57-9a1e-5c0c0a11ce01";

export function accountShape(user: string) {
  return { id: ACCOUNT_ID, email: user, name: user.split("@")[0], verified: true, beta: false, two_factor_authentication: false, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z" };
}

export function appShape(app: AppRecord, settings: PlatformSettings, user: string, slugSize?: number) {
  const owner = accountShape(user);
  return {
    id: app.id,
    name: app.name,
    acm: false,
    archived_at: null,
    buildpack_provided_description: null,
    build_stack: stack(app.stack),
    created_at: app.created_at,
    updated_at: app.updated_at,
    released_at: app.released_at,
    git_url: settings.gitUrl(app.name),
    web_url: settings.routerUrl(app.name),
    maintenance: app.maintenance === 1,
    owner: { id: owner.id, email: owner.email },
    organization: null,
    team: null,
    space: null,
    internal_routing: null,
    region: REGION,
    repo_size: null,
    slug_size: slugSize ?? null,
    stack: stack(app.stack),
    generation: { id: "a0000000-0000-4000-8000-000000000001", name: "cedar" },
    create_status: "complete",
  };
}

export function releaseShape(release: ReleaseRecord, app: AppRecord, current: ReleaseRecord | undefined, user: string, apiUrl: string) {
  return {
    id: release.id,
    version: release.version,
    description: release.description,
    status: release.status,
    current: current?.id === release.id,
    created_at: release.created_at,
    updated_at: release.updated_at,
    user: { id: accountShape(user).id, email: user },
    app: { id: app.id, name: app.name },
    slug: release.slug_id ? { id: release.slug_id } : null,
    addon_plan_names: [],
    output_stream_url: release.output ? `${apiUrl}/apps/${app.name}/releases/${release.version}/output` : null,
  };
}

export function formationShape(f: FormationRecord, app: AppRecord, command: string | undefined) {
  return { id: f.id, app: { id: app.id, name: app.name }, type: f.type, quantity: f.quantity, size: f.size, command: command ?? "", created_at: f.created_at, updated_at: f.updated_at };
}

export function dynoShape(d: DynoInfo, app: AppRecord, releaseId: string | undefined, attachUrl: string | null = null) {
  const at = (d.startedAt ?? new Date()).toISOString();
  return {
    id: crypto.randomUUID(),
    name: d.name,
    type: d.type,
    state: d.state,
    command: d.command,
    size: "Basic",
    attach_url: attachUrl,
    created_at: at,
    updated_at: at,
    app: { id: app.id, name: app.name },
    release: { id: releaseId ?? null, version: d.releaseVersion },
  };
}

export function buildShape(build: BuildRecord, app: AppRecord, user: string, apiUrl: string) {
  return {
    id: build.id,
    app: { id: app.id },
    status: build.status,
    created_at: build.created_at,
    updated_at: build.updated_at,
    source_blob: { url: null, version: build.commit_sha, checksum: null },
    buildpacks: JSON.parse(build.buildpacks) as unknown,
    release: build.release_id ? { id: build.release_id } : null,
    slug: build.slug_id ? { id: build.slug_id } : null,
    stack: "heroku-24",
    user: { id: accountShape(user).id, email: user },
    output_stream_url: `${apiUrl}/apps/${app.name}/builds/${build.id}/output`,
  };
}
