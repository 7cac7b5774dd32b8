/**
 * Add-ons and add-on attachments as the Platform API shows them, expanded the way the heroku
 * CLI asks (`Accept-Expansion: addon_service,plan`, `Accept-Inclusion: addon:plan,config_vars`).
 * hoku bills nothing: every price is 0 cents a month, which the CLI prints as `free`.
 */
import type { Attachment, OwnedAddon } from "../addon-attachments.ts";

const FREE = { cents: 0, contract: false, unit: "month" };

const app = (a: { id: string; name: string }) => ({ id: a.id, name: a.name });

function plan({ addon }: OwnedAddon) {
  const name = `${addon.service}:${addon.plan}`;
  return { id: name, name, price: FREE };
}

/** `state` is `deprovisioned` in the answer to a DELETE; `webUrl` is its dashboard, if it has one. */
export function addonShape(owned: OwnedAddon, configVars: readonly string[], webUrl: string | null, state: "provisioned" | "deprovisioned" = "provisioned") {
  const { addon, owner } = owned;
  return {
    id: addon.id,
    name: addon.name,
    app: app(owner),
    addon_service: { id: addon.service, name: addon.service, human_name: addon.service },
    plan: plan(owned),
    config_vars: configVars,
    state,
    provision_message: null,
    web_url: webUrl,
    actions: [],
    billed_price: FREE,
    billing_entity: { id: owner.id, name: owner.name, type: "app" },
    created_at: addon.createdAt,
    updated_at: addon.createdAt,
  };
}

export function attachmentShape(attachment: Attachment, configVars: readonly string[], webUrl: string | null) {
  const { addon, owner } = attachment;
  return {
    id: attachment.id,
    name: attachment.name,
    addon: { id: addon.id, name: addon.name, app: app(owner), plan: plan(attachment) },
    app: app(attachment.app),
    config_vars: configVars,
    namespace: null,
    log_input_url: null,
    web_url: webUrl,
    created_at: attachment.createdAt,
    updated_at: attachment.createdAt,
  };
}
