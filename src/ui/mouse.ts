/**
 * Mouse wheel for the TUI. Ink drops escape sequences it cannot map to a key, SGR
 * mouse reports among them, so they are taken out of stdin before Ink reads it: the
 * wheel becomes `wheel` events (lines to scroll, negative = up), other mouse reports
 * are dropped, everything else passes through unchanged.
 */
import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";

/** SGR mouse report: ESC [ < button ; x ; y (M press | m release). Buttons 64/65 are wheel up/down. */
const MOUSE = /\x1b\[<(\d+);\d+;\d+[Mm]/g;
export const MOUSE_ON = "\x1b[?1000h\x1b[?1006h";
export const MOUSE_OFF = "\x1b[?1000l\x1b[?1006l";
const WHEEL_LINES = 3;

/** Removes mouse reports from `text`, reporting wheel turns; returns what is left. */
export function takeMouseReports(text: string, onWheel: (lines: number) => void): string {
  return text.replace(MOUSE, (_, button: string) => {
    if (button === "64") onWheel(-WHEEL_LINES);
    else if (button === "65") onWheel(WHEEL_LINES);
    return "";
  });
}

/** A stdin for Ink without mouse reports, and the emitter of wheel events. */
export function filterMouse(stdin: NodeJS.ReadStream): { stdin: NodeJS.ReadStream; wheel: EventEmitter; detach(): void } {
  const wheel = new EventEmitter();
  const through = new PassThrough() as unknown as NodeJS.ReadStream & PassThrough;
  Object.assign(through, {
    isTTY: true,
    setRawMode(mode: boolean) {
      stdin.setRawMode(mode);
      return through;
    },
    ref() {
      stdin.ref();
      return through;
    },
    unref() {
      stdin.unref();
      return through;
    },
  });
  const onData = (chunk: Buffer) => {
    const rest = takeMouseReports(chunk.toString("utf8"), (lines) => wheel.emit("wheel", lines));
    if (rest !== "") through.write(rest);
  };
  stdin.on("data", onData);
  return {
    stdin: through,
    wheel,
    detach() {
      stdin.off("data", onData);
      stdin.pause();
    },
  };
}
