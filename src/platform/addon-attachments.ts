/**
 * Add-on attachments, as the Platform API shows them: the names under which an add-on gives
 * an app its config vars. Every add-on has its own (`HEROKU_POSTGRESQL_AMBER`, `REDIS`, the
 * `--as` name) on the app that owns it, and the primary Postgres also `DATABASE`; those come
 * and go with the add-on. `addons:attach` adds more, on the same app (another name) or on
 * another app (sharing it); `addons:detach` removes those. Each attach and detach is a release
 * of the app it changes: `Attach CACHE (@ref:redis-rugged-12345)`, `Detach CACHE (@ref:...)`.
 */
import { type Addon, attachmentName } from "../addons/addon.ts";
import { CATALOG, PLATFORM_CATALOG } from "../addons/catalog.ts";
import { ApiError, invalid, notFound } from "./api/http.ts";
import type { Platform } from "./platform.ts";
import type { AppRecord } from "./records/apps.ts";
import { type AttachmentRecord, deleteAttachment, deleteAttachmentsOfApp, insertAttachment, listAttachments } from "./records/attachments.ts";
import type { ReleaseRecord } from "./records/releases.ts";

/** An add-on and the app that owns it. */
export interface OwnedAddon {
  readonly addon: Addon;
  readonly owner: AppRecord;
}

export interface Attachment extends OwnedAddon {
  readonly id: string;
  /** Upper case; its config vars are `<NAME>_URL` and the like. */
  readonly name: string;
  /** The app it gives the add-on's config vars to. */
  readonly app: AppRecord;
  readonly createdAt: string;
  /** Made by addons:attach (so addons:detach may remove it), not the add-on's own. */
  readonly attached: boolean;
}

/** Heroku's attachment names: a letter, then letters, digits and underscores. */
const NAME = /^[A-Z][A-Z0-9_]*$/;

export class AddonAttachments {
  constructor(private readonly platform: Platform) {}

  /** Every add-on of every app. */
  addons(): OwnedAddon[] {
    return this.platform.apps().flatMap((owner) => this.platform.addons.list(owner.id).map((addon) => ({ addon, owner })));
  }

  /** Every attachment: each add-on's own, then those addons:attach made (oldest first). */
  all(): Attachment[] {
    const addons = this.addons();
    const own = addons.flatMap((owned) => this.#ownNames(owned).map((name) => ({ ...owned, id: ownId(owned.addon, name), name, app: owned.owner, createdAt: owned.addon.createdAt, attached: false })));
    const apps = new Map(this.platform.apps().map((a) => [a.id, a]));
    const made = listAttachments(this.platform.db).flatMap((row) => {
      const owned = addons.find((o) => o.addon.id === row.addon_id);
      const app = apps.get(row.app_id);
      return owned && app ? [{ ...owned, id: row.id, name: row.name, app, createdAt: row.created_at, attached: true }] : [];
    });
    return [...own, ...made];
  }

  /** The config vars that attachments made by addons:attach give the app (of running add-ons). */
  vars(appId: string): Record<string, string> {
    const vars: Record<string, string> = {};
    for (const a of this.all()) {
      if (!a.attached || a.app.id !== appId) continue;
      const given = this.platform.addons.varsAs(a.addon, a.name);
      if (given.running) Object.assign(vars, given.vars);
    }
    return vars;
  }

  /** The config var names an attachment gives its app. */
  configVars(attachment: Attachment): string[] {
    return Object.keys(this.platform.addons.varsAs(attachment.addon, attachment.name).vars);
  }

  /**
   * addons:attach: `addon` (a name or id) on `app` as `as` (default: the add-on's own name).
   * Overwriting a config var the app's user set needs `confirm` = the app's name, as on Heroku.
   */
  async attach(ref: string, app: AppRecord, as: string | undefined, confirm: string | undefined): Promise<{ attachment: Attachment; release: ReleaseRecord }> {
    const owned = this.addons().find(({ addon }) => addon.id === ref || addon.name === ref);
    if (!owned) throw notFound("add-on");
    const name = (as ?? this.#ownNames(owned).at(-1)!).toUpperCase();
    if (!NAME.test(name)) throw invalid("Name must start with a letter and contain only letters, digits and underscores.");
    const taken = this.all().find((a) => a.app.id === app.id && a.name === name);
    // pg:promote asks for DATABASE on another Postgres of the app, confirmed: Heroku moves the attachment to it.
    if (taken && name === "DATABASE" && confirm === app.name && !taken.attached && taken.addon.id !== owned.addon.id && owned.owner.id === app.id && taken.owner.id === app.id && this.#isPostgres(owned.addon)) {
      this.platform.addons.promote(app.id, owned.addon.id);
      const release = await this.platform.addonVarsRelease(app, `Attach DATABASE (@ref:${owned.addon.name})`);
      return { attachment: this.all().find((a) => a.addon.id === owned.addon.id && a.app.id === app.id && a.name === "DATABASE")!, release };
    }
    if (taken)
      throw invalid(`${name} is already an attachment of ${taken.addon.name} on ⬢ ${app.name}: choose another name with --as, or detach it first (heroku addons:detach ${name} -a ${app.name}).`);
    const keys = Object.keys(this.platform.addons.varsAs(owned.addon, name).vars);
    const fromAddons = this.platform.addonVars(app);
    const overwritten = keys.filter((k) => this.platform.config(app)[k] !== undefined && fromAddons[k] === undefined);
    if (overwritten.length > 0 && confirm !== app.name)
      throw new ApiError(422, "confirmation_required", `Attaching ${owned.addon.name} as ${name} overwrites the config var ${overwritten.join(", ")} of ⬢ ${app.name}.`);
    const row = insertAttachment(this.platform.db, { addon_id: owned.addon.id, owner_app_id: owned.owner.id, app_id: app.id, name });
    const release = await this.platform.addonVarsRelease(app, `Attach ${name} (@ref:${owned.addon.name})`);
    return { attachment: this.#made(row), release };
  }

  /** addons:detach: only what addons:attach made; an add-on's own names go with the add-on. */
  async detach(id: string): Promise<{ attachment: Attachment; release: ReleaseRecord }> {
    const attachment = this.all().find((a) => a.id === id);
    if (!attachment) throw notFound("add-on attachment");
    if (!attachment.attached)
      throw invalid(`${attachment.name} is ${attachment.addon.name}'s own attachment on ⬢ ${attachment.owner.name}: it goes only with the add-on (heroku addons:destroy ${attachment.addon.name} -a ${attachment.owner.name}).`);
    deleteAttachment(this.platform.db, id);
    return { attachment, release: await this.#released(attachment.app, attachment.addon, [attachment.name]) };
  }

  /**
   * An add-on was destroyed: what addons:attach made of it goes, in a release of each other app
   * it was attached to (its own app's release is the caller's).
   */
  async dropAddon(addon: Addon, owner: AppRecord): Promise<void> {
    const rows = listAttachments(this.platform.db).filter((r) => r.addon_id === addon.id);
    for (const row of rows) deleteAttachment(this.platform.db, row.id);
    for (const app of this.platform.apps().filter((a) => a.id !== owner.id && rows.some((r) => r.app_id === a.id)))
      await this.#released(app, addon, rows.filter((r) => r.app_id === app.id).map((r) => r.name));
  }

  /** An app is destroyed: its add-ons leave the other apps they were attached to, and its rows go. */
  async dropApp(app: AppRecord): Promise<void> {
    const shared = this.all().filter((a) => a.attached && a.owner.id === app.id && a.app.id !== app.id);
    deleteAttachmentsOfApp(this.platform.db, app.id);
    for (const a of shared) await this.#released(a.app, a.addon, [a.name]);
  }

  /** A Detach release of `app` removing what `addon` gave it as `names` (vars something else still sets stay). */
  async #released(app: AppRecord, addon: Addon, names: readonly string[]): Promise<ReleaseRecord> {
    const still = this.platform.addonVars(app);
    const gone = names.flatMap((name) => Object.keys(this.platform.addons.varsAs(addon, name).vars));
    const removed = Object.fromEntries(gone.filter((k) => still[k] === undefined).map((k) => [k, null] as const));
    return this.platform.addonVarsRelease(app, `Detach ${names.join(", ")} (@ref:${addon.name})`, removed);
  }

  #isPostgres(addon: Addon): boolean {
    return CATALOG.find((s) => s.name === addon.service)?.kind === "postgres";
  }

  /** An add-on's own attachment names: DATABASE for the primary Postgres, then its own. */
  #ownNames({ addon, owner }: OwnedAddon): string[] {
    const service = PLATFORM_CATALOG.find((s) => s.name === addon.service);
    const own = service ? attachmentName(addon, service) : addon.name.toUpperCase();
    return this.platform.addons.primary(owner.id)?.id === addon.id && own !== "DATABASE" ? ["DATABASE", own] : [own];
  }

  #made(row: AttachmentRecord): Attachment {
    return this.all().find((a) => a.id === row.id)!;
  }
}

/** An add-on's own attachment's id: stable, as it is not a row. */
function ownId(addon: Addon, name: string): string {
  return `${addon.id}-${name.toLowerCase().replaceAll("_", "-")}`;
}
