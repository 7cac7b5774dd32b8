/**
 * An action line, as the heroku CLI (oclif's `ux.action`) prints it, on stderr: the text and
 * `... `, the work, then `done` (or the suffix the work's result gives: `done, v4`), or `!` when
 * the work throws, and the error goes on. Data (tables, `KEY: value` lines, JSON) is stdout's.
 */
export async function action<T>(text: string, work: () => T | Promise<T>, suffix: string | ((result: T) => string) = "done"): Promise<T> {
  process.stderr.write(`${text}... `);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    process.stderr.write("!\n");
    throw error;
  }
  process.stderr.write(`${typeof suffix === "string" ? suffix : suffix(result)}\n`);
  return result;
}
