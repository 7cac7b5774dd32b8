/**
 * Which addresses a port listens on, from the kernel's socket tables (/proc/net/tcp and tcp6,
 * given as text). Pure. Heroku's router reaches a dyno from outside it, so a server bound to
 * 127.0.0.1 (or ::1) alone is never up there: its dyno ends in R10 (DY-4).
 */

/** Whether a table lists a socket listening on `port` on an address other than loopback (0.0.0.0, ::, or a real one). */
export function listensBeyondLoopback(table: string, port: number): boolean {
  for (const line of table.split("\n").slice(1)) {
    const [, local = "", , state] = line.trim().split(/\s+/);
    const [address = "", hexPort = ""] = local.split(":");
    if (state === "0A" && Number.parseInt(hexPort, 16) === port && !isLoopback(address)) return true; // 0A: LISTEN
  }
  return false;
}

/**
 * The kernel prints an address as 32-bit words in host byte order (little-endian here):
 * 127.0.0.1 is `0100007F`, ::1 is `00000000000000000000000001000000`, ::ffff:127.0.0.1 is
 * `0000000000000000FFFF00000100007F`.
 */
function isLoopback(address: string): boolean {
  if (address.length === 8) return address.endsWith("7F");
  return address === "00000000000000000000000001000000" || (address.startsWith("0000000000000000FFFF0000") && address.endsWith("7F"));
}
