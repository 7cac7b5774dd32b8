/**
 * Dyno metadata (Dev Center: dyno-metadata; DY-2), Heroku Labs features of the app: with
 * `runtime-dyno-metadata` every dyno that starts from then on (formation, one-off, release
 * phase) has its app, dyno, release and slug in its environment; `runtime-dyno-build-metadata`
 * adds the build's commit and description. A dyno running when the feature is enabled gets them
 * at its next start (a release or a restart), as on Heroku. Pure.
 */
import { apiTime, herokuDomainShape } from "./api/shapes.ts";
import { parseFeatureFlags } from "./app-features.ts";
import type { AppRecord } from "./records/apps.ts";
import type { ReleaseRecord } from "./records/releases.ts";
import { deployDescription, type SlugRecord } from "./records/slugs.ts";

/** The metadata vars of a dyno with id `dynoId`, of `release` (built into `slug`), or none if the app has not enabled them. */
export function dynoMetadata(app: AppRecord, release: ReleaseRecord, slug: SlugRecord | undefined, dynoId: string): Record<string, string> {
  const features = parseFeatureFlags(app.features);
  const commit = slug?.commit_sha ?? "";
  // Slugs built before hoku kept a description have none: it is their deploy's.
  const description = slug?.description ?? (commit ? deployDescription(commit) : "");
  return {
    ...(features["runtime-dyno-metadata"] && {
      HEROKU_APP_ID: app.id,
      HEROKU_APP_NAME: app.name,
      HEROKU_APP_DEFAULT_DOMAIN_NAME: herokuDomainShape(app).hostname,
      HEROKU_DYNO_ID: dynoId,
      HEROKU_RELEASE_CREATED_AT: apiTime(release.created_at),
      HEROKU_RELEASE_VERSION: `v${release.version}`,
      HEROKU_SLUG_COMMIT: commit,
      HEROKU_SLUG_DESCRIPTION: description,
    }),
    ...(features["runtime-dyno-build-metadata"] && {
      HEROKU_BUILD_COMMIT: commit,
      HEROKU_BUILD_DESCRIPTION: description,
    }),
  };
}
