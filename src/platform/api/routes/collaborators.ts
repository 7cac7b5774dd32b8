/**
 * Collaborators (heroku access, apps:info): the platform has one user, the owner of every app.
 * Adding a collaborator is not emulated: there is no one else to add.
 */
import { notEmulated, notFound } from "../http.ts";
import { ownerCollaboratorShape } from "../shapes.ts";
import type { RouteContext, Routes } from "./context.ts";

const ONE_USER = "The local platform has one user, the owner of every app; its token (HEROKU_API_KEY) is all there is to share.";

export function collaboratorRoutes(c: RouteContext): Routes {
  return {
    "/apps/:app/collaborators": {
      GET: c.guard((_, params) => [ownerCollaboratorShape(c.app(params), c.user)]),
      POST: c.guard((_, params) => {
        c.app(params);
        throw notEmulated("collaborators", ONE_USER);
      }),
    },
    "/apps/:app/collaborators/:collaborator": {
      GET: c.guard((_, params) => {
        const owner = ownerCollaboratorShape(c.app(params), c.user);
        const who = decodeURIComponent(params.collaborator!);
        if (who !== owner.user.email && who !== owner.id) throw notFound("collaborator");
        return owner;
      }),
      DELETE: c.guard((_, params) => {
        c.app(params);
        throw notEmulated("collaborators", ONE_USER);
      }),
    },
  };
}
