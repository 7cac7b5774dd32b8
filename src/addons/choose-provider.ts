/**
 * Which provider serves each add-on: Docker when an engine answers and has (or can pull)
 * the image, else the native binaries, else embedded (PGlite for Postgres);
 * `--addons docker|native|embedded` forces one. Every add-on gets a one-line reason; none
 * available is an error that says what was tried and, when forced, the provider's fix.
 */
import { HokuError } from "../app/problem.ts";
import type { Service } from "./catalog.ts";
import { dockerProvider } from "./docker-provider.ts";
import { embeddedProvider } from "./embedded-provider.ts";
import { nativeProvider } from "./native-provider.ts";
import type { CheckContext, Provider, ProviderKind } from "./provider.ts";

export const PROVIDERS: readonly Provider[] = [dockerProvider, nativeProvider, embeddedProvider];

export interface Choice {
  readonly provider: Provider;
  /** Why this one: `Docker engine 20.10 answered`, or the others' reasons when falling back. */
  readonly why: string;
}

export async function chooseProvider(
  service: Service,
  image: string | undefined,
  context: CheckContext & { readonly forced?: ProviderKind },
  providers: readonly Provider[] = PROVIDERS,
): Promise<Choice> {
  const { forced } = context;
  const candidates = forced ? providers.filter((p) => p.kind === forced) : providers;
  const refusals: string[] = [];
  let fix: string | undefined;
  for (const provider of candidates) {
    const availability = await provider.check(service, image, context);
    if (availability.ok) return { provider, why: [...refusals, availability.why].join("; ") };
    refusals.push(`${provider.kind}: ${availability.why}`);
    fix ??= availability.hint;
  }
  throw new HokuError(`no provider can run ${service.name}: ${refusals.join("; ")}\n    hint: ${forced ? `${fix ?? forcedFix(forced, service)}, or drop --addons` : installHint(service)}`);
}

/**
 * The provider for an add-on that may hold data already: the one that served it last, whose data
 * it is (another provider would start it from its own, other data), else `chooseProvider`'s
 * pick. `--addons` still chooses, and is said when it leaves the data behind.
 */
export async function chooseAddonProvider(
  service: Service,
  image: string | undefined,
  context: CheckContext & { readonly forced?: ProviderKind },
  servedBy: ProviderKind | undefined,
  providers: readonly Provider[] = PROVIDERS,
): Promise<Choice> {
  if (!servedBy || (context.forced && context.forced !== servedBy)) {
    const choice = await chooseProvider(service, image, context, providers);
    return servedBy && choice.provider.kind !== servedBy ? { ...choice, why: `${choice.why}; not the data it had on ${servedBy}` } : choice;
  }
  const provider = providers.find((p) => p.kind === servedBy);
  if (!provider) return chooseProvider(service, image, context, providers); // a record hoku does not know
  const availability = await provider.check(service, image, context);
  if (availability.ok) return { provider, why: `${availability.why} (its data is there)` };
  throw new HokuError(
    `${service.name}'s data is on ${servedBy}, which cannot run it now: ${availability.why}\n    hint: ${availability.hint ?? forcedFix(servedBy, service)}; or --addons ${providers.filter((p) => p !== provider).map((p) => p.kind).join("|")} runs it from that provider's own data instead`,
  );
}

/** What makes a forced provider work, when it did not say. */
function forcedFix(forced: ProviderKind, service: Service): string {
  const fix = { docker: "start Docker (or set DOCKER_HOST)", native: `install the ${service.kind} server so its binaries are on PATH`, embedded: "only heroku-postgresql can be embedded" };
  return `${forced} cannot run ${service.name} here; ${fix[forced]}`;
}

function installHint(service: Service): string {
  if (service.kind === "redis") return "install Docker or Debian's redis-server (apt-get install redis-server)";
  if (service.kind === "custom") return `give ${service.name} in hoku.json an "image" for Docker or a "command" hoku runs itself`;
  return `install Docker, or the ${service.kind} server`;
}
