/**
 * X-Request-Id, as Heroku's router sets it (Dev Center: http-request-id): a client's value is
 * kept when it is 20 to 200 characters of ASCII letters, digits, `+`, `/`, `=` and `-`;
 * anything else is replaced by a new UUID.
 */

const VALID = /^[A-Za-z0-9+/=-]{20,200}$/;

export function requestIdFor(given: string | null): string {
  return given !== null && VALID.test(given) ? given : crypto.randomUUID();
}
