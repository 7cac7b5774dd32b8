/**
 * App features (features, features:info, features:enable/disable; labs -a APP) and account
 * features (labs: none here). Enabling one stores its flag; Heroku Exec's feature is where
 * `heroku ps:exec` starts, so it gets the answer that Heroku Exec is not emulated.
 */
import { updateApp } from "../../records/apps.ts";
import { APP_FEATURES, findAppFeature, HEROKU_EXEC_FEATURE, parseFeatureFlags } from "../../app-features.ts";
import { body, invalid, notEmulated, notFound } from "../http.ts";
import { featureShape } from "../shapes.ts";
import type { AppRecord, Params, RouteContext, Routes } from "./context.ts";

function featureOf(params: Params) {
  const name = decodeURIComponent(params.feature!);
  if (name === HEROKU_EXEC_FEATURE)
    throw notEmulated(
      "Heroku Exec (heroku ps:exec, ps:copy, ps:forward, ps:socks): it reaches into a running dyno through Heroku's exec service and an SSH tunnel",
      "A one-off dyno has the same release, config vars and add-ons: heroku run bash -a APP.",
    );
  const feature = findAppFeature(name);
  if (!feature) throw notFound("feature");
  return feature;
}

export function featureRoutes(c: RouteContext): Routes {
  const show = (record: AppRecord, name: string) => featureShape(findAppFeature(name)!, record, parseFeatureFlags(record.features)[name] === true);
  return {
    "/apps/:app/features": {
      GET: c.guard((_, params) => {
        const record = c.app(params);
        return APP_FEATURES.map((f) => show(record, f.name));
      }),
    },
    "/apps/:app/features/:feature": {
      GET: c.guard((_, params) => {
        const record = c.app(params);
        return show(record, featureOf(params).name);
      }),
      PATCH: c.guard(async (request, params) => {
        const record = c.app(params);
        const feature = featureOf(params);
        const given = await body<{ enabled?: unknown }>(request);
        if (typeof given.enabled !== "boolean") throw invalid("Missing enabled: {\"enabled\": true} or {\"enabled\": false}.");
        const flags = { ...parseFeatureFlags(record.features), [feature.name]: given.enabled };
        return show(updateApp(c.platform.db, record.id, { features: JSON.stringify(flags) }), feature.name);
      }),
    },
    // The account has no features of its own here; `heroku labs:enable NAME -a APP` then tries the app's.
    "/account/features": { GET: c.guard(() => []) },
    "/account/features/:feature": { GET: c.guard(() => { throw notFound("feature"); }), PATCH: c.guard(() => { throw notFound("feature"); }) },
  };
}
