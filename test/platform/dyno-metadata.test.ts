/** Dyno metadata (DY-2): which vars each Labs feature gives, in Heroku's formats. Pure. */
import { describe, expect, test } from "bun:test";
import { dynoMetadata } from "../../src/platform/dyno-metadata.ts";
import type { AppRecord } from "../../src/platform/records/apps.ts";
import type { ReleaseRecord } from "../../src/platform/records/releases.ts";
import type { SlugRecord } from "../../src/platform/records/slugs.ts";

const app = (features: Record<string, boolean>) => ({ id: "9daa2797-e49b-4624-932f-ec3f9688e3da", name: "example-app", features: JSON.stringify(features), created_at: "2015-01-01T00:00:00.000Z", updated_at: "2015-01-01T00:00:00.000Z" }) as AppRecord;
const release = { version: 42, created_at: "2015-04-02T18:00:42.123Z" } as ReleaseRecord;
const slug = { commit_sha: "2c3a0b24069af49b3de35b8e8c26765c1dba9ff0", description: "Deploy 2c3a0b2" } as SlugRecord;
const DYNO_ID = "1fac4117-c29f-4312-521e-ba4d8638c1ac";

describe("dyno metadata", () => {
  test("none until the app enables a feature", () => {
    expect(dynoMetadata(app({}), release, slug, DYNO_ID)).toEqual({});
    expect(dynoMetadata(app({ "runtime-dyno-metadata": false }), release, slug, DYNO_ID)).toEqual({});
  });

  test("runtime-dyno-metadata: Dev Center's eight vars, the release time to the second and its version as vN", () => {
    expect(dynoMetadata(app({ "runtime-dyno-metadata": true }), release, slug, DYNO_ID)).toEqual({
      HEROKU_APP_ID: "9daa2797-e49b-4624-932f-ec3f9688e3da",
      HEROKU_APP_NAME: "example-app",
      HEROKU_APP_DEFAULT_DOMAIN_NAME: "example-app.localhost",
      HEROKU_DYNO_ID: DYNO_ID,
      HEROKU_RELEASE_CREATED_AT: "2015-04-02T18:00:42Z",
      HEROKU_RELEASE_VERSION: "v42",
      HEROKU_SLUG_COMMIT: "2c3a0b24069af49b3de35b8e8c26765c1dba9ff0",
      HEROKU_SLUG_DESCRIPTION: "Deploy 2c3a0b2",
    });
  });

  test("runtime-dyno-build-metadata: the build's commit and description", () => {
    expect(dynoMetadata(app({ "runtime-dyno-build-metadata": true }), release, slug, DYNO_ID)).toEqual({
      HEROKU_BUILD_COMMIT: "2c3a0b24069af49b3de35b8e8c26765c1dba9ff0",
      HEROKU_BUILD_DESCRIPTION: "Deploy 2c3a0b2",
    });
  });
});
