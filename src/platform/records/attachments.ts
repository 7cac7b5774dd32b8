/**
 * Add-on attachments made with `addons:attach` (platform.db `addon_attachments`): another name
 * for an add-on, on its own app or on another one. The attachments an add-on has from birth (its
 * own name, and DATABASE for the primary Postgres) are not rows: they follow from its record.
 * A name is unique per app.
 */
import type { Database } from "bun:sqlite";

export interface AttachmentRecord {
  readonly id: string;
  readonly addon_id: string;
  /** The app that owns (is billed for) the add-on. */
  readonly owner_app_id: string;
  /** The app the attachment gives the add-on's config vars to. */
  readonly app_id: string;
  /** Upper case: the config vars are `<NAME>_URL` and the like. */
  readonly name: string;
  readonly created_at: string;
}

export function listAttachments(db: Database): AttachmentRecord[] {
  return db.query<AttachmentRecord, []>("SELECT * FROM addon_attachments ORDER BY created_at, name").all();
}

export function insertAttachment(db: Database, attachment: Omit<AttachmentRecord, "id" | "created_at">): AttachmentRecord {
  const record = { ...attachment, id: crypto.randomUUID(), created_at: new Date().toISOString() };
  db.query("INSERT INTO addon_attachments (id, addon_id, owner_app_id, app_id, name, created_at) VALUES (?, ?, ?, ?, ?, ?)").run(
    record.id,
    record.addon_id,
    record.owner_app_id,
    record.app_id,
    record.name,
    record.created_at,
  );
  return record;
}

export function deleteAttachment(db: Database, id: string): void {
  db.query("DELETE FROM addon_attachments WHERE id = ?").run(id);
}

/** Forgets every attachment to or of the app's add-ons (the app is destroyed). */
export function deleteAttachmentsOfApp(db: Database, appId: string): void {
  db.query("DELETE FROM addon_attachments WHERE app_id = ? OR owner_app_id = ?").run(appId, appId);
}
