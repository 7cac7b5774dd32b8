/** `hoku run`'s arguments joined as `heroku run` joins them (heroku/cli lib/run/helpers.js buildCommand). */
import { expect, test } from "bun:test";
import { runCommand } from "../../src/app/run-command.ts";

test.each([
  ["one argument is a shell command as it is", ["rake db:migrate && echo ok"], "rake db:migrate && echo ok"],
  ["several plain arguments are joined with spaces", ["echo", "-n", "a", "b"], "echo -n a b"],
  ["an argument with spaces is double-quoted", ["echo", "a  b"], 'echo "a  b"'],
  ["a double quote is escaped inside the quotes", ["echo", 'say "hi"'], 'echo "say \\"hi\\""'],
  ["a single quote is double-quoted too", ["echo", "c'd"], `echo "c'd"`],
  ["bash -c 'exit 7'", ["bash", "-c", "exit 7"], 'bash -c "exit 7"'],
  ["$ stays live, as on Heroku", ["echo", "$HOME"], "echo $HOME"],
] as const)("%s", (_name, args, want) => {
  expect(runCommand(args)).toBe(want);
});

test("the joined command runs in bash as the arguments meant", () => {
  const out = Bun.spawnSync(["bash", "-c", runCommand(["echo", "a  b", "c'd", 'e"f'])]).stdout.toString();
  expect(out).toBe(`a  b c'd e"f\n`);
});
