/**
 * The Platform API v3's HTTP conventions: JSON bodies, errors as `{"id": "not_found",
 * "message": "..."}` with their status, a token on every request (`Authorization: Bearer <token>`
 * from the heroku CLI, `Basic base64(":" + token)` from heroku-client and git), and
 * Range / Next-Range paging (`Range: version ..; max=15, order=desc`).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, "not_found", `Couldn't find that ${what}.`);
export const invalid = (message: string) => new ApiError(422, "invalid_params", message);
/** What Heroku does and hoku's local platform does not (a hosted service, a second user): 501, the message says what to do instead. */
export const notEmulated = (what: string, instead: string) => new ApiError(501, "not_emulated", `hoku does not emulate ${what}. ${instead}`);

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json; charset=utf-8", ...headers } });
}

export function errorResponse(error: ApiError): Response {
  return json({ id: error.id, message: error.message }, error.status);
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether the request carries the platform's token, as a Bearer token or as a Basic password (any user). */
export function authorized(request: Request, token: string): boolean {
  const header = request.headers.get("authorization") ?? "";
  const [scheme, value = ""] = header.split(" ", 2);
  if (/^bearer$/i.test(scheme ?? "")) return same(value.trim(), token);
  if (/^basic$/i.test(scheme ?? "")) {
    const decoded = Buffer.from(value.trim(), "base64").toString();
    return same(decoded.slice(decoded.indexOf(":") + 1), token);
  }
  return false;
}

/** How long a signed URL works (each API answer that shows one signs it anew). */
const SIGNED_FOR_MS = 3_600_000;

/**
 * A URL the heroku CLI fetches with no credentials, as Heroku's signed `output_stream_url`s
 * (`heroku releases:output`, a build's output): its path and expiry signed with the platform's token.
 */
export function signedUrl(url: string, token: string, now = Date.now()): string {
  const expires = Math.floor((now + SIGNED_FOR_MS) / 1000);
  return `${url}?expires=${expires}&signature=${signature(new URL(url).pathname, expires, token)}`;
}

/** Whether the request's URL carries a signature `signedUrl` gave its path, not expired. */
export function signedRequest(request: Request, token: string, now = Date.now()): boolean {
  const url = new URL(request.url);
  const expires = Number(url.searchParams.get("expires"));
  if (!Number.isInteger(expires) || expires * 1000 < now) return false;
  return same(url.searchParams.get("signature") ?? "", signature(url.pathname, expires, token));
}

function signature(path: string, expires: number, token: string): string {
  return createHmac("sha256", token).update(`${path}\n${expires}`).digest("hex");
}

/** A JSON request body, or a 400 when it does not parse. */
export async function body<T>(request: Request): Promise<T> {
  const text = await request.text();
  if (text.trim() === "") return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(400, "bad_request", "Request body is not valid JSON.");
  }
}

interface Range {
  readonly field: string;
  readonly start?: string;
  readonly exclusive: boolean;
  readonly max: number;
  readonly order: "asc" | "desc";
}

/** Parses `field [start]..[end][; max=N[, order=asc|desc]]`; defaults: `defaultField`, max 200 (at most 1000), asc. */
export function parseRange(header: string | null, defaultField: string): Range {
  const match = /^\s*([a-z_]+)?\s*(\]?)([^.;]*)\.\.[^;]*(?:;\s*(.*))?$/.exec(header ?? "");
  const options = Object.fromEntries((match?.[4] ?? "").split(",").map((o) => o.trim().split("=") as [string, string]));
  const max = Math.min(1000, Math.max(1, Number(options.max) || 200));
  return {
    field: match?.[1] || defaultField,
    start: match?.[3]?.trim() || undefined,
    exclusive: match?.[2] === "]",
    max,
    order: options.order === "desc" ? "desc" : "asc",
  };
}

/** One page of `items` per the Range header: 200 with all of them, or 206 and a Next-Range. */
export function page<T>(request: Request, items: readonly T[], fields: Record<string, (item: T) => string | number>, defaultField: string): Response {
  const range = parseRange(request.headers.get("range"), defaultField);
  const key = fields[range.field] ?? fields[defaultField]!;
  const field = fields[range.field] ? range.field : defaultField;
  const sign = range.order === "desc" ? -1 : 1;
  const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0) * sign;
  let sorted = [...items].sort((a, b) => compare(key(a), key(b)));
  if (range.start !== undefined) {
    const start = typeof key(sorted[0] as T) === "number" ? Number(range.start) : range.start;
    sorted = sorted.filter((item) => (range.exclusive ? compare(key(item), start) > 0 : compare(key(item), start) >= 0));
  }
  const shown = sorted.slice(0, range.max);
  if (sorted.length <= range.max) return json(shown, 200, { "Accept-Ranges": field });
  const last = key(shown.at(-1)!);
  return json(shown, 206, { "Accept-Ranges": field, "Content-Range": `${field} ${key(shown[0]!)}..${last}; max=${range.max}`, "Next-Range": `${field} ]${last}..; max=${range.max}, order=${range.order}` });
}
