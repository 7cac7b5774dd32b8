/**
 * The Platform API's add-on and attachment resolvers (pure): what `DATABASE_URL`, `CACHE`,
 * `app::CACHE`, an add-on's name or id mean, with and without an app.
 */
import { describe, expect, test } from "bun:test";
import type { Addon } from "../../src/addons/addon.ts";
import type { Attachment, OwnedAddon } from "../../src/platform/addon-attachments.ts";
import { resolveAddons, resolveAttachments } from "../../src/platform/addon-resolve.ts";
import type { AppRecord } from "../../src/platform/records/apps.ts";

const app = (name: string) => ({ id: `id-${name}`, name }) as AppRecord;
const addon = (id: string, name: string) => ({ id, name }) as Addon;

const demo = app("demo");
const other = app("other");
const pg: OwnedAddon = { addon: addon("a1", "postgresql-rugged-12345"), owner: demo };
const redis: OwnedAddon = { addon: addon("a2", "redis-flat-54321"), owner: demo };
const attach = (owned: OwnedAddon, name: string, on: AppRecord, attached = false): Attachment => ({ ...owned, id: `${on.name}-${name}`, name, app: on, createdAt: "", attached });
const attachments = [attach(pg, "DATABASE", demo), attach(pg, "HEROKU_POSTGRESQL_RED", demo), attach(redis, "CACHE", demo), attach(redis, "CACHE", other, true)];
const names = (found: readonly Attachment[]) => found.map((a) => `${a.app.name}::${a.name}`);

describe("resolveAttachments", () => {
  test("on an app: by name, as a config var, by the add-on's name; nothing from other apps", () => {
    expect(names(resolveAttachments(attachments, "DATABASE_URL", "demo"))).toEqual(["demo::DATABASE"]);
    expect(names(resolveAttachments(attachments, "cache", "id-other"))).toEqual(["other::CACHE"]);
    expect(names(resolveAttachments(attachments, "postgresql-rugged-12345", "demo"))).toEqual(["demo::DATABASE", "demo::HEROKU_POSTGRESQL_RED"]);
    expect(resolveAttachments(attachments, "DATABASE", "other")).toEqual([]);
  });

  test("without an app only an id or app::NAME", () => {
    expect(names(resolveAttachments(attachments, "demo-CACHE"))).toEqual(["demo::CACHE"]);
    expect(resolveAttachments(attachments, "CACHE")).toEqual([]);
    expect(names(resolveAttachments(attachments, "other::CACHE", "demo"))).toEqual(["other::CACHE"]);
  });
});

describe("resolveAddons", () => {
  test("by an attachment on the app, or anywhere by name or id", () => {
    const all = [pg, redis];
    expect(resolveAddons(all, attachments, "CACHE", "other")).toEqual([redis]);
    expect(resolveAddons(all, attachments, "DATABASE_URL", "demo")).toEqual([pg]);
    expect(resolveAddons(all, attachments, "redis-flat-54321")).toEqual([redis]);
    expect(resolveAddons(all, attachments, "a1", null)).toEqual([pg]);
    expect(resolveAddons(all, attachments, "DATABASE", "other")).toEqual([]);
  });
});
