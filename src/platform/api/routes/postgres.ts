/**
 * The Heroku Postgres API the heroku CLI's pg:* commands call on the data host
 * (`HEROKU_DATA_HOST`, which `hoku heroku:env` points at the platform): a database's info
 * (pg:info) and readiness (pg:wait), backups and restores (pg:backups:capture,
 * pg:backups:restore), an app's transfers (pg:backups, pg:backups:info, pg:backups:delete) and
 * a backup's expiring public URL (pg:backups:url, pg:backups:download), the one path here that
 * needs no token. hoku schedules no backups: pg:backups:schedules lists none and
 * pg:backups:schedule says so.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import type { OwnedAddon } from "../../addon-attachments.ts";
import { resolveAddons } from "../../addon-resolve.ts";
import { postgresStats } from "../../postgres-stats.ts";
import { PostgresTransfers } from "../../postgres-transfers.ts";
import type { AppRecord } from "../../records/apps.ts";
import { deleteTransfer, findTransfer, listTransfers, type TransferRecord } from "../../records/transfers.ts";
import { ApiError, body, invalid, json, notFound } from "../http.ts";
import { databaseShape, dataTime, transferShape } from "../postgres-shapes.ts";
import type { RouteContext, Routes } from "./context.ts";

/** How long a public backup URL works. */
const PUBLIC_URL_SECONDS = 3600;

/** Signs public backup URLs; made at each start, so a restart also ends them. */
const SIGNING_KEY = randomBytes(32);

/** Over the URL's own app name and backup number, so a bad URL is refused before anything is looked up. */
function signature(app: string, num: string, expires: number): string {
  return createHmac("sha256", SIGNING_KEY).update(`${app}:${num}:${expires}`).digest("hex");
}

export function postgresRoutes(c: RouteContext): Routes {
  const { attachments, addons } = c.platform;
  const transfers = new PostgresTransfers(c.platform.db, addons.dir);

  /** The heroku-postgresql add-on with this id or name. */
  const database = (ref: string): OwnedAddon => {
    const owned = resolveAddons(attachments.addons(), attachments.all(), decodeURIComponent(ref)).find((o) => o.addon.service === "heroku-postgresql");
    if (!owned) throw notFound("database");
    return owned;
  };
  /** What the database is called on its own app: DATABASE for the primary, else its own attachment. */
  const nameOnOwner = (owned: OwnedAddon) => attachments.all().find((a) => a.addon.id === owned.addon.id && a.app.id === owned.owner.id && !a.attached)?.name ?? owned.addon.name;
  const dumpUrl = (app: AppRecord, t: TransferRecord) => `${c.settings.apiUrl}/client/v11/apps/${encodeURIComponent(app.name)}/transfers/${t.num}/dump`;
  const show = (app: AppRecord, t: TransferRecord, verbose = false) => {
    const backup = t.kind === "backup" ? t : findTransfer(c.platform.db, t.app_id, /^b(\d+)$/.exec(t.from_name)?.[1] ?? "");
    return transferShape(t, backup ? dumpUrl(app, backup) : null, verbose);
  };
  const transfer = (app: AppRecord, ref: string) => {
    const found = findTransfer(c.platform.db, app.id, decodeURIComponent(ref));
    if (!found) throw notFound("transfer");
    return found;
  };
  /** The backup a restore names by its URL (`.../client/v11/apps/<app>/transfers/<num>/dump`, of any app). */
  const backupAt = (url: unknown): TransferRecord => {
    const path = typeof url === "string" && URL.canParse(url) ? new URL(url).pathname : "";
    const at = /^\/client\/v11\/apps\/([^/]+)\/transfers\/(\d+)\/dump$/.exec(path);
    if (!at) throw invalid("hoku restores only its own backups (b001, or other-app::b001): download any other dump and restore it with pg_restore.");
    const backup = findTransfer(c.platform.db, c.platform.app(decodeURIComponent(at[1]!)).id, at[2]!);
    if (!backup || backup.kind !== "backup") throw notFound("backup");
    return backup;
  };

  return {
    "/client/v11/databases/:database": {
      GET: c.guard(async (_, params) => {
        const owned = database(params.database!);
        const endpoint = addons.endpoint(owned.addon);
        const resourceUrl = endpoint ? `postgres://${encodeURIComponent(endpoint.user)}@${endpoint.host}:${endpoint.port}/${endpoint.database}` : null;
        return databaseShape(owned, endpoint && (await postgresStats(endpoint)), resourceUrl);
      }),
    },
    "/client/v11/databases/:database/wait_status": {
      GET: c.guard((_, params) => {
        const owned = database(params.database!);
        return addons.endpoint(owned.addon)
          ? { "waiting?": false, "error?": false, message: "available" }
          : { "waiting?": false, "error?": true, message: `${owned.addon.name} is not running: the platform's log says why it did not start` };
      }),
    },
    "/client/v11/databases/:database/transfer-schedules": {
      GET: c.guard((_, params) => (database(params.database!), [])),
      POST: c.guard(() => {
        throw invalid("hoku schedules no backups: take one with heroku pg:backups:capture when you want it (from cron, if it should be daily).");
      }),
    },
    "/client/v11/databases/:database/backups": {
      POST: c.guard(async (_, params) => {
        const owned = database(params.database!);
        return json(show(owned.owner, await transfers.capture(owned, addons.endpoint(owned.addon), nameOnOwner(owned))), 201);
      }),
    },
    "/client/v11/databases/:database/restores": {
      POST: c.guard(async (request, params) => {
        const owned = database(params.database!);
        const given = await body<{ backup_url?: string; extensions?: string[] }>(request);
        const restored = await transfers.restore(owned, addons.endpoint(owned.addon), nameOnOwner(owned), backupAt(given.backup_url));
        return json(show(owned.owner, restored), 201);
      }),
    },
    "/client/v11/apps/:app/transfers": {
      GET: c.guard((_, params) => {
        const app = c.app(params);
        return listTransfers(c.platform.db, app.id).map((t) => show(app, t));
      }),
    },
    "/client/v11/apps/:app/transfers/:transfer": {
      GET: c.guard((request, params) => {
        const app = c.app(params);
        return show(app, transfer(app, params.transfer!), new URL(request.url).searchParams.get("verbose") === "true");
      }),
      DELETE: c.guard((_, params) => {
        const app = c.app(params);
        const gone = transfer(app, params.transfer!);
        if (gone.kind === "backup") rmSync(transfers.dumpFile(gone), { force: true });
        deleteTransfer(c.platform.db, gone.id);
        return show(app, gone);
      }),
    },
    "/client/v11/apps/:app/transfers/:transfer/actions/public-url": {
      POST: c.guard((_, params) => {
        const app = c.app(params);
        const backup = transfer(app, params.transfer!);
        if (backup.kind !== "backup" || backup.succeeded !== 1) throw invalid("Only a finished backup has a URL.");
        const expires = Math.floor(Date.now() / 1000) + PUBLIC_URL_SECONDS;
        return { url: `${dumpUrl(app, backup)}?expires=${expires}&signature=${signature(app.name, String(backup.num), expires)}`, expires_at: dataTime(new Date(expires * 1000).toISOString()) };
      }),
    },
    "/client/v11/apps/:app/transfers/:transfer/dump": {
      GET: c.guard(
        (request, params) => {
          const query = new URL(request.url).searchParams;
          const expires = Number(query.get("expires"));
          const given = Buffer.from(query.get("signature") ?? "");
          const wanted = Buffer.from(signature(decodeURIComponent(params.app!), params.transfer!, expires));
          if (!(expires * 1000 > Date.now() && given.length === wanted.length && timingSafeEqual(given, wanted)))
            throw new ApiError(403, "forbidden", "This backup URL is not signed or has expired: get a new one with heroku pg:backups:url.");
          const app = c.app(params);
          const backup = transfer(app, params.transfer!);
          const file = transfers.dumpFile(backup);
          if (!existsSync(file)) throw notFound("backup");
          return new Response(Bun.file(file), { headers: { "Content-Type": "application/octet-stream" } });
        },
        { open: true },
      ),
    },
  };
}
