/**
 * An add-on of an app, as hoku keeps it (pure): which service and plan, its attachment
 * name, Postgres color, password and preferred port. Heroku-style names and colors.
 */
import type { Service } from "./catalog.ts";

/** An add-on provisioned for an app. */
export interface Addon {
  /** Stable id; labels its container and names its data. */
  readonly id: string;
  /** Heroku-style add-on name: `postgresql-concave-52656`. */
  readonly name: string;
  readonly service: string;
  readonly plan: string;
  /** The attachment name given with `--as` / app.json `as`, upper case. */
  readonly as?: string;
  /** Postgres only: the color of `HEROKU_POSTGRESQL_<COLOR>_URL`. */
  readonly color?: string;
  /** Provider options from app.json (`{"version": "15"}`). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly password: string;
  /** The host port it gets when free. */
  readonly port: number;
  /** Where it was declared; app.json add-ons are matched back by `key`. */
  readonly source: "app.json" | "cli";
  readonly key: string;
  readonly createdAt: string;
  /** The provider that served it last: its data is there (another provider has its own, other data). */
  readonly servedBy?: "docker" | "native" | "embedded";
}

/** Heroku Postgres attachment colors. */
export const COLORS = [
  "AMBER", "AQUA", "BLACK", "BLUE", "BRONZE", "BROWN", "CHARCOAL", "COBALT", "COPPER", "CRIMSON",
  "CYAN", "GOLD", "GRAY", "GREEN", "IVORY", "JADE", "LIME", "MAROON", "MAUVE", "NAVY",
  "OLIVE", "ONYX", "ORANGE", "PINK", "PUCE", "PURPLE", "RED", "ROSE", "SILVER", "TEAL", "VIOLET", "WHITE", "YELLOW",
] as const;

const WORDS = ["concave", "rugged", "shallow", "silent", "sinuous", "tapered", "vertical", "amorphous", "angular", "clear", "cubic", "curved", "deep", "flat", "fluffy", "solid", "spherical", "symmetrical", "triangular", "opaque"];

/** A color no other Postgres add-on of the app has, picked from `random` in [0, 1). */
export function pickColor(taken: readonly string[], random: number): string {
  const free = COLORS.filter((c) => !taken.includes(c));
  const pool = free.length > 0 ? free : COLORS;
  return pool[Math.floor(random * pool.length)]!;
}

/** `postgresql-concave-52656` from the service name and two random numbers in [0, 1). */
export function addonName(service: string, a: number, b: number): string {
  const short = service.replace(/^heroku-/, "");
  return `${short}-${WORDS[Math.floor(a * WORDS.length)]}-${10000 + Math.floor(b * 90000)}`;
}

/** The attachment name: `--as`, else HEROKU_POSTGRESQL_<COLOR> for Postgres, else the service's default. */
export function attachmentName(addon: Addon, service: Service): string {
  if (addon.as) return addon.as;
  if (service.kind === "postgres" && addon.color) return `HEROKU_POSTGRESQL_${addon.color}`;
  return service.attachment;
}
