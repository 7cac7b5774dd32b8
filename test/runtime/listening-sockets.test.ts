/** Reading the kernel's socket tables for a port listening beyond loopback (pure; real table text). */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { listensBeyondLoopback } from "../../src/runtime/listening-sockets.ts";

const HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
const row = (local: string, state = "0A") => `   0: ${local} 00000000:0000 ${state} 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0\n`;
const PORT = 0x1f90; // 8080

describe("listensBeyondLoopback", () => {
  test("0.0.0.0 and :: listen beyond loopback; 127.0.0.1, ::1 and ::ffff:127.0.0.1 do not", () => {
    expect(listensBeyondLoopback(HEADER + row("00000000:1F90"), PORT)).toBe(true);
    expect(listensBeyondLoopback(HEADER + row("00000000000000000000000000000000:1F90"), PORT)).toBe(true);
    expect(listensBeyondLoopback(HEADER + row("0100007F:1F90"), PORT)).toBe(false);
    expect(listensBeyondLoopback(HEADER + row("00000000000000000000000001000000:1F90"), PORT)).toBe(false);
    expect(listensBeyondLoopback(HEADER + row("0000000000000000FFFF00000100007F:1F90"), PORT)).toBe(false);
  });

  test("a real interface's address counts; another port, or a socket that is not listening, does not", () => {
    expect(listensBeyondLoopback(HEADER + row("0F02000A:1F90"), PORT)).toBe(true); // 10.0.2.15
    expect(listensBeyondLoopback(HEADER + row("00000000:1F91"), PORT)).toBe(false);
    expect(listensBeyondLoopback(HEADER + row("00000000:1F90", "01"), PORT)).toBe(false); // ESTABLISHED
    expect(listensBeyondLoopback(HEADER + row("0100007F:1F90") + row("00000000:1F90"), PORT)).toBe(true);
    expect(listensBeyondLoopback("", PORT)).toBe(false);
  });

  test("this machine's own table: a server on 0.0.0.0 is seen, one on 127.0.0.1 is not", () => {
    const open = Bun.listen({ hostname: "0.0.0.0", port: 0, socket: { data() {} } });
    const local = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    try {
      const table = readFileSync("/proc/net/tcp", "utf8");
      expect(listensBeyondLoopback(table, open.port)).toBe(true);
      expect(listensBeyondLoopback(table, local.port)).toBe(false);
    } finally {
      open.stop(true);
      local.stop(true);
    }
  });
});
