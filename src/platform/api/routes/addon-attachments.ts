/**
 * Add-on attachments: all of them, an app's, an add-on's, one by id or name, the resolver the
 * heroku CLI asks what a name means (`POST /actions/addon-attachments/resolve`, how pg:* find
 * `DATABASE_URL`), and addons:attach / addons:detach (`POST` / `DELETE /addon-attachments`).
 */
import type { Attachment } from "../../addon-attachments.ts";
import { resolveAddons, resolveAttachments } from "../../addon-resolve.ts";
import { attachmentShape } from "../addon-shapes.ts";
import { body, invalid, json, notFound, page } from "../http.ts";
import { resourceNotFound } from "./addons.ts";
import type { RouteContext, Routes } from "./context.ts";

export function addonAttachmentRoutes(c: RouteContext): Routes {
  const { attachments } = c.platform;
  const show = (a: Attachment) => attachmentShape(a, attachments.configVars(a), c.webUrl(a.addon, a.owner));
  const list = (request: Request, items: readonly Attachment[]) => page(request, items.map(show), { id: (a) => a.id, name: (a) => a.name }, "name");
  const ref = (value: string | undefined) => (value === undefined ? "" : decodeURIComponent(value));

  return {
    "/addon-attachments": {
      GET: c.guard((request) => list(request, attachments.all())),
      POST: c.guard(async (request) => {
        const given = await body<{ addon?: { name?: string; id?: string } | string; app?: { name?: string; id?: string } | string; name?: string; confirm?: string; namespace?: string | null }>(request);
        const addon = typeof given.addon === "string" ? given.addon : (given.addon?.id ?? given.addon?.name);
        const app = typeof given.app === "string" ? given.app : (given.app?.id ?? given.app?.name);
        if (!addon || !app) throw invalid("Missing addon or app: {\"addon\": {\"name\": ...}, \"app\": {\"name\": ...}}.");
        if (given.namespace) throw invalid("hoku's add-ons have one credential: attach them without --credential.");
        const { attachment } = await attachments.attach(addon, c.platform.app(app), given.name || undefined, given.confirm);
        return json(show(attachment), 201);
      }),
    },
    "/addon-attachments/:attachment": {
      GET: c.guard((_, params) => {
        const found = resolveAttachments(attachments.all(), ref(params.attachment))[0];
        if (!found) throw notFound("add-on attachment");
        return show(found);
      }),
      DELETE: c.guard(async (_, params) => {
        const found = resolveAttachments(attachments.all(), ref(params.attachment))[0];
        if (!found) throw notFound("add-on attachment");
        return show((await attachments.detach(found.id)).attachment);
      }),
    },
    "/addons/:addon/addon-attachments": {
      GET: c.guard((request, params) => {
        const owned = resolveAddons(attachments.addons(), attachments.all(), ref(params.addon))[0];
        if (!owned) throw notFound("add-on");
        return list(request, attachments.all().filter((a) => a.addon.id === owned.addon.id));
      }),
    },
    "/apps/:app/addon-attachments": {
      GET: c.guard((request, params) => {
        const record = c.app(params);
        return list(request, attachments.all().filter((a) => a.app.id === record.id));
      }),
    },
    "/apps/:app/addon-attachments/:attachment": {
      GET: c.guard((_, params) => {
        // By an add-on's name, the one addons:attach made comes first: that is what addons:detach means.
        const found = resolveAttachments(attachments.all(), ref(params.attachment), c.app(params).id).sort((a, b) => Number(b.attached) - Number(a.attached))[0];
        if (!found) throw notFound("add-on attachment");
        return show(found);
      }),
    },
    "/actions/addon-attachments/resolve": {
      POST: c.guard(async (request) => {
        const given = await body<{ addon_attachment?: string; app?: string | null; addon_service?: string }>(request);
        if (typeof given.addon_attachment !== "string") throw invalid("Missing addon_attachment: the attachment's id or name.");
        const found = resolveAttachments(attachments.all(), given.addon_attachment, given.app).filter((a) => !given.addon_service || a.addon.service === given.addon_service);
        return found.length > 0 ? found.map(show) : resourceNotFound("add_on attachment");
      }),
    },
  };
}
