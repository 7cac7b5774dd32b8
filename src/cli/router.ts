/**
 * The hidden `hoku __router '<options as JSON>'`: the platform's router process
 * (src/router/router-process.ts), started by the platform with an IPC channel; not for users.
 */
import type { RouterProcessOptions } from "../router/router-messages.ts";
import { runRouterProcess } from "../router/router-process.ts";

export function routerCommand(json: string): void {
  if (!process.send) {
    process.stderr.write("hoku: __router is the platform's own router process; start the platform with hoku platform\n");
    process.exit(2);
  }
  runRouterProcess(JSON.parse(json) as RouterProcessOptions);
}
