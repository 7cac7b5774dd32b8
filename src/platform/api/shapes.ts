/**
 * Records as the Platform API v3 shows them: the field names and nesting the heroku CLI and
 * heroku-client read (App, Release, Formation, Dyno, Build, Account); add-ons are in addon-shapes.ts.
 */
import { createHash } from "node:crypto";
import type { AppFeature } from "../app-features.ts";
import type { DynoInfo } from "../dyno-manager.ts";
import { DYNO_SIZE } from "../dyno-size.ts";
import type { AppRecord } from "../records/apps.ts";
import type { BuildRecord } from "../records/builds.ts";
import type { FormationRecord } from "../records/formation.ts";
import type { ReleaseRecord } from "../records/releases.ts";
import type { PlatformSettings } from "../platform.ts";

export const REGION = { id: "59accabd-516d-4f0e-83e6-6e3757701145", name: "us" };
const STACK_IDS: Record<string, string> = { "heroku-24": "74cfe988-7527-4ca4-b5c1-bfd4b1c5a6f3", "heroku-22": "ee582d3c-717d-4a57-ba5f-8b3a39f3a817" };
const stack = (name: string) => ({ id: STACK_IDS[name] ?? STACK_IDS["heroku-24"], name });

/** Heroku's timestamps are whole seconds (`2026-01-01T12:00:00Z`); hoku's records keep milliseconds. */
export const apiTime = <T extends string | null>(iso: T): T => (iso === null ? iso : (iso.replace(/\.\d+Z$/, "Z") as T));

/** A UUID that is the same for the same seed: ids of things hoku derives rather than stores (an app's default domain). */
export function stableId(seed: string): string {
  const hex = createHash("sha1").update(seed).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

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
    created_at: apiTime(app.created_at),
    updated_at: apiTime(app.updated_at),
    released_at: apiTime(app.released_at),
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

/** An app feature (`heroku features`, `labs`), on or off for this app. */
export function featureShape(feature: AppFeature, app: AppRecord, enabled: boolean) {
  return {
    id: stableId(`feature:${feature.name}`),
    name: feature.name,
    display_name: feature.displayName,
    description: feature.description,
    doc_url: feature.docUrl,
    state: feature.state,
    enabled,
    feedback_email: null,
    created_at: apiTime(app.created_at),
    updated_at: apiTime(app.updated_at),
  };
}

/** The app's own domain (`kind: heroku`), as `<app>.herokuapp.com` is on Heroku: `<app>.localhost`, where the router answers. */
export function herokuDomainShape(app: AppRecord) {
  return {
    id: stableId(`domain:${app.id}`),
    hostname: `${app.name}.localhost`,
    kind: "heroku",
    cname: null,
    status: "none",
    acm_status: null,
    acm_status_reason: null,
    sni_endpoint: null,
    app: { id: app.id, name: app.name },
    created_at: apiTime(app.created_at),
    updated_at: apiTime(app.updated_at),
  };
}

/** The one local user, owner of every app (`heroku access`). */
export function ownerCollaboratorShape(app: AppRecord, user: string) {
  return {
    id: stableId(`collaborator:${app.id}`),
    role: "owner",
    user: { id: accountShape(user).id, email: user, federated: false },
    app: { id: app.id, name: app.name },
    created_at: apiTime(app.created_at),
    updated_at: apiTime(app.updated_at),
  };
}

export function releaseShape(release: ReleaseRecord, app: AppRecord, current: ReleaseRecord | undefined, user: string, apiUrl: string) {
  return {
    id: release.id,
    version: release.version,
    description: release.description,
    status: release.status,
    current: current?.id === release.id,
    // What `heroku rollback` with no version picks from (the newest but one): a release that ran code.
    eligible_for_rollback: release.slug_id !== null && release.status === "succeeded",
    created_at: apiTime(release.created_at),
    updated_at: apiTime(release.updated_at),
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
  const created = d.startedAt ?? new Date();
  return {
    id: dynoId(app.id, d.name, created),
    name: d.name,
    type: d.type,
    state: d.state,
    command: d.command,
    size: DYNO_SIZE,
    attach_url: attachUrl,
    created_at: created.toISOString(),
    updated_at: (d.updatedAt ?? created).toISOString(),
    app: { id: app.id, name: app.name },
    release: { id: releaseId ?? null, version: d.releaseVersion },
  };
}

/** A dyno's id, the same on every read while it runs: a UUID-shaped hash of the app, its name and its start. */
function dynoId(appId: string, name: string, started: Date): string {
  const hex = new Bun.CryptoHasher("sha1").update(`${appId}/${name}/${started.getTime()}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
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
