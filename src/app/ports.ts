/**
 * Port assignment for `hoku start` (pure), as in procfile-dotenv-cases.md "Ports":
 * base = -p > PORT from env files > PORT in the shell > 5006; each type gets
 * base + 100 x its position among the Procfile's types other than `release` (started or
 * not), + 1 per instance. `release` runs once, before the others, and gets no port.
 * Instances past the 100th of a type (up to MAX_INSTANCES) take ports after every type's
 * block, 900 per type, so they never land on the next type's ports: with web and worker,
 * web.101 is base + 200, worker.101 base + 1100.
 */
import type { Formation } from "./formation.ts";
import type { ProcessType } from "./procfile.ts";

/** heroku local's default base port (5000 is taken by macOS AirPlay). */
export const DEFAULT_BASE_PORT = 5006;

/** The most dynos of one process type `hoku start` runs. */
export const MAX_INSTANCES = 1000;

/** One dyno to start: `web.1` on its port. */
export interface DynoSlot {
  /** `web.1`. */
  readonly name: string;
  /** The process type. */
  readonly type: ProcessType;
  /** 1-based instance number. */
  readonly instance: number;
  /** The dyno's `$PORT`. */
  readonly port: number;
}

export function chooseBasePort(sources: { flag?: string; envFiles?: string; shell?: string }): { port: number; from: string } {
  for (const [from, value] of [["--port", sources.flag], ["PORT in the env files", sources.envFiles], ["PORT in the shell", sources.shell]] as const) {
    if (value !== undefined && value !== "") return { port: Number(value), from };
  }
  return { port: DEFAULT_BASE_PORT, from: "default" };
}

export function isValidPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

/** Each type's position for ports: its place among the Procfile's types other than `release`. */
export function portPositions(types: readonly ProcessType[]): Map<string, number> {
  return new Map(types.filter((t) => t.name !== "release").map((t, position) => [t.name, position]));
}

/** The port of instance `instance` (1-based) of the type at `position` among `types` port-taking types. */
export function portOf(base: number, types: number, position: number, instance: number): number {
  if (instance <= 100) return base + 100 * position + instance - 1;
  return base + 100 * types + 900 * position + instance - 101;
}

/** Expands a formation into dyno slots (all but `release`), in Procfile order then instance order. */
export function assignPorts(types: readonly ProcessType[], formation: Formation, base: number): DynoSlot[] {
  const positions = portPositions(types);
  const slots: DynoSlot[] = [];
  for (const type of types) {
    const position = positions.get(type.name);
    if (position === undefined) continue;
    const quantity = formation.get(type.name) ?? 0;
    for (let instance = 1; instance <= quantity; instance++)
      slots.push({ name: `${type.name}.${instance}`, type, instance, port: portOf(base, positions.size, position, instance) });
  }
  return slots;
}

/** `HOKU_WEB_PORT=5006` for each selected type: the first instance's port, so processes can find each other. */
export function peerPortVars(slots: readonly DynoSlot[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const slot of slots) {
    const key = `HOKU_${slot.type.name.toUpperCase().replace(/-/g, "_")}_PORT`;
    vars[key] ??= String(slot.port);
  }
  return vars;
}
