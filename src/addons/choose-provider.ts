/**
 * Which provider serves each add-on: Docker when an engine answers, else the native
 * binaries, else embedded (PGlite for Postgres); `--addons docker|native|embedded`
 * forces one. Every add-on gets a one-line reason; none available is an error that
 * says what was tried.
 */
import { HokuError } from "../app/problem.ts";
import type { Service } from "./catalog.ts";
import { dockerProvider } from "./docker-provider.ts";
import { embeddedProvider } from "./embedded-provider.ts";
import { nativeProvider } from "./native-provider.ts";
import type { Provider, ProviderKind } from "./provider.ts";

export const PROVIDERS: readonly Provider[] = [dockerProvider, nativeProvider, embeddedProvider];

export interface Choice {
  readonly provider: Provider;
  /** Why this one: `Docker engine 20.10 answered`, or the others' reasons when falling back. */
  readonly why: string;
}

export async function chooseProvider(service: Service, image: string | undefined, forced?: ProviderKind, providers: readonly Provider[] = PROVIDERS): Promise<Choice> {
  const candidates = forced ? providers.filter((p) => p.kind === forced) : providers;
  const refusals: string[] = [];
  for (const provider of candidates) {
    const availability = await provider.check(service, image);
    if (availability.ok) return { provider, why: [...refusals, availability.why].join("; ") };
    refusals.push(`${provider.kind}: ${availability.why}`);
  }
  const hint = forced
    ? `${forced} cannot run ${service.name} here; ${forced === "docker" ? "start Docker (or set DOCKER_HOST)" : forced === "native" ? `install the ${service.kind} server so its binaries are on PATH` : "only heroku-postgresql can be embedded"}, or drop --addons`
    : service.kind === "redis"
      ? "install Docker or Debian's redis-server (apt-get install redis-server)"
      : service.kind === "custom"
        ? `give ${service.name} in hoku.json an "image" for Docker or a "command" hoku runs itself`
        : `install Docker, or the ${service.kind} server`;
  throw new HokuError(`no provider can run ${service.name}: ${refusals.join("; ")}\n    hint: ${hint}`);
}
