/**
 * Shutdown signals for long-running commands: the first SIGINT/SIGTERM/SIGHUP asks
 * for a graceful stop (exit 130/143/129), any second one forces it.
 */
const CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

export interface ShutdownHandlers {
  graceful(signal: keyof typeof CODES, exitCode: number): void;
  force(): void;
}

export function onShutdownSignals(handlers: ShutdownHandlers): void {
  let received = false;
  for (const signal of Object.keys(CODES) as (keyof typeof CODES)[]) {
    process.on(signal, () => {
      if (received) return handlers.force();
      received = true;
      handlers.graceful(signal, CODES[signal]);
    });
  }
}
