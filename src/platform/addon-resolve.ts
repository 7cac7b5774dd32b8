/**
 * What the Platform API's resolvers (`POST /actions/addons/resolve`,
 * `/actions/addon-attachments/resolve`) find for what a user typed (pure). With an app: its
 * attachments by id or name (`DATABASE`, also as the config var `DATABASE_URL`), and the add-ons
 * attached to it by id or name. Without one: add-ons by id or name anywhere, attachments by id;
 * `app::NAME` names the app in the reference itself. Every match is returned: the heroku CLI
 * picks one and reports an ambiguity itself.
 */
import type { Attachment, OwnedAddon } from "./addon-attachments.ts";

interface Scope {
  readonly app?: string;
  readonly ref: string;
}

/** `app::NAME` sets the app; otherwise the given one (a name or an id), if any. */
function scope(ref: string, app: string | null | undefined): Scope {
  const qualified = /^(.+?)::(.+)$/.exec(ref);
  return qualified ? { app: qualified[1]!, ref: qualified[2]! } : { app: app ?? undefined, ref };
}

const onApp = (attachment: Attachment, app: string) => attachment.app.name === app || attachment.app.id === app;

/** The attachment name a reference means: upper case, without a config var's `_URL`. */
const attachmentName = (ref: string) => ref.toUpperCase().replace(/_URL$/, "");

export function resolveAttachments(attachments: readonly Attachment[], ref: string, app?: string | null): Attachment[] {
  const s = scope(ref, app);
  if (s.app === undefined) return attachments.filter((a) => a.id === s.ref);
  return attachments.filter((a) => onApp(a, s.app!) && (a.id === s.ref || a.name === attachmentName(s.ref) || a.addon.id === s.ref || a.addon.name === s.ref));
}

export function resolveAddons(addons: readonly OwnedAddon[], attachments: readonly Attachment[], ref: string, app?: string | null): OwnedAddon[] {
  const s = scope(ref, app);
  const ids =
    s.app === undefined
      ? new Set(addons.filter(({ addon }) => addon.id === s.ref || addon.name === s.ref).map(({ addon }) => addon.id))
      : new Set(resolveAttachments(attachments, s.ref, s.app).map((a) => a.addon.id));
  return addons.filter(({ addon }) => ids.has(addon.id));
}
