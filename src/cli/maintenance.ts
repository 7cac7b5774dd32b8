/**
 * `hoku maintenance`, `maintenance:on`, `maintenance:off` (-a/--app): an app's maintenance
 * mode through the Platform API (`PATCH /apps/{app}` {maintenance}), printed as the heroku
 * CLI prints it. While it is on, the router answers every request with the maintenance page
 * (503, H80); the app's dynos keep running.
 */
import { PlatformClient } from "../platform/client.ts";
import { action } from "./action.ts";
import { say } from "./load.ts";
import { type AppFlag, targetApp } from "./target.ts";

interface App {
  readonly name: string;
  readonly maintenance: boolean;
}

export async function maintenance(flags: AppFlag): Promise<number> {
  const name = targetApp(flags);
  const client = await PlatformClient.connect(say);
  const app = await client.request<App>("GET", `/apps/${encodeURIComponent(name)}`);
  console.log(app.maintenance ? "on" : "off");
  return 0;
}

export async function setMaintenance(on: boolean, flags: AppFlag): Promise<number> {
  const name = targetApp(flags);
  const client = await PlatformClient.connect(say);
  await action(`${on ? "Enabling" : "Disabling"} maintenance mode for ⬢ ${name}`, () => client.request<App>("PATCH", `/apps/${encodeURIComponent(name)}`, { maintenance: on }));
  return 0;
}
