/**
 * Checks a runner's output for the throughput scenario: every generator line is
 * `<ID>-<6-digit seq>-<71 x>` (80 characters). Runner prefixes (`12:00:00 gena.1 | `,
 * foreman's `12:00:00 PM gena.1 |  `) and a trailing CR (PTY) are tolerated.
 */

export interface Verdict {
  /** Lines carrying an intact payload. */
  readonly intact: number;
  /** Sequence numbers never seen intact. */
  readonly lost: number;
  /** Lines with a payload fragment that is not an intact payload (cut, merged, padded wrong). */
  readonly broken: number;
  /** Intact payloads seen more than once. */
  readonly duplicated: number;
  /** Intact payloads that came after a higher sequence number of the same process. */
  readonly reordered: number;
  /** lost + broken + duplicated + reordered: must be 0. */
  readonly bad: number;
}

export const PAD = 71;
export const LINE_WIDTH = 80;

const FULL = /(?:^|[ |])([A-Z])-(\d{6})-(x+)$/;
const FRAGMENT = /[A-Z]-\d{3}|x{8}/;

export function verify(texts: readonly string[], ids: readonly string[], lines: number): Verdict {
  const seen = new Map(ids.map((id) => [id, new Uint8Array(lines + 1)]));
  const last = new Map(ids.map((id) => [id, 0]));
  let intact = 0;
  let broken = 0;
  let duplicated = 0;
  let reordered = 0;
  for (const text of texts) {
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf("\n", start);
      if (end < 0) end = text.length;
      let line = text.slice(start, end);
      start = end + 1;
      if (line.endsWith("\r")) line = line.slice(0, -1);
      const m = FULL.exec(line);
      const marks = m ? seen.get(m[1]!) : undefined;
      const seq = m ? Number(m[2]) : 0;
      if (!m || !marks || m[3]!.length !== PAD || seq < 1 || seq > lines) {
        if (FRAGMENT.test(line)) broken++;
        continue;
      }
      intact++;
      if (marks[seq]) duplicated++;
      marks[seq] = 1;
      if (seq < last.get(m[1]!)!) reordered++;
      last.set(m[1]!, seq);
    }
  }
  let lost = 0;
  for (const marks of seen.values()) for (let i = 1; i <= lines; i++) if (!marks[i]) lost++;
  return { intact, lost, broken, duplicated, reordered, bad: lost + broken + duplicated + reordered };
}
