/**
 * The router's clocks, Heroku's values by default (Dev Center: http-routing "Timeouts" and
 * "Dyno connection behavior"; error-codes):
 *
 *   connect      a dyno's connection must open within 5 s, else H19 Backend connection timeout
 *   request      30 s from the request having all gone to the dyno (its body included) to the
 *                dyno's first response byte, else H12 Request timeout
 *   idle         a rolling 55 s window while the body goes up and once the response has begun:
 *                a silent dyno is H15 Idle connection, a silent client H28 Client Connection Idle
 *   quarantine   a dyno that refused or timed out a connection is not picked for 5 s; a request
 *                finding every up dyno quarantined waits up to 75 s for one, else H99
 *
 * Labs shorten them (`hoku platform --router-timeout 5s --router-idle-timeout 10s`).
 */

export interface RouterTimeouts {
  /** How long a connection to a dyno may take to open (H19). */
  readonly connectMs: number;
  /** From the request having all gone to the dyno to its first response byte (H12). */
  readonly requestMs: number;
  /** The rolling idle window while the body goes up and once the response has begun (H15 dyno, H28 client). */
  readonly idleMs: number;
  /** How long a dyno that refused or timed out a connection is left out. */
  readonly quarantineMs: number;
  /** How long a request waits while every up dyno is quarantined (H99 past it). */
  readonly quarantineWaitMs: number;
}

export const HEROKU_ROUTER_TIMEOUTS: RouterTimeouts = {
  connectMs: 5_000,
  requestMs: 30_000,
  idleMs: 55_000,
  quarantineMs: 5_000,
  quarantineWaitMs: 75_000,
};
