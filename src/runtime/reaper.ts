/**
 * The reaper: a tiny bash process in its own session that outlives hoku just long
 * enough to clean up. hoku holds the write end of its stdin; when hoku exits for any
 * reason, SIGKILL included, the pipe closes, `read` returns, and the reaper sends
 * SIGTERM, then SIGKILL a second later, to every process tagged with this run.
 * The PTY hangup already reaches each dyno's session; the reaper catches processes
 * that ignore SIGHUP or left their session, the process groups hoku asked it to watch
 * (native add-on servers), the members of the run's cgroup (cgroup containment) and then the
 * cgroups themselves, and add-on containers labelled with this run, if hoku said it
 * started some (else it does not run the docker CLI at all: that was ~15 ms of CPU at every
 * exit of every app, on a machine with Docker).
 */
import { TAG_VAR } from "./kill.ts";

const SCRIPT = `
trap '' INT TERM HUP QUIT
run=$1
# hoku writes "watch <pgid>" for process groups it cannot tag (servers that rewrite
# their environment with their process title), "cgroup <dir>" for the run's cgroup,
# "containers" once it starts add-on containers, then EOF when it goes away.
groups=""
cgroup=""
containers=""
while read -r word arg; do
  case "$word" in
    watch) groups="$groups $arg" ;;
    cgroup) cgroup=$arg ;;
    containers) containers=1 ;;
  esac
done
sweep() {
  found=0
  for dir in /proc/[0-9]*; do
    [ "\${dir#/proc/}" = "$$" ] && continue
    while IFS= read -r -d '' entry; do
      case "$entry" in "${TAG_VAR}=$run/"*) kill -"$1" "\${dir#/proc/}" 2>/dev/null && found=1; break ;; esac
    done < "$dir/environ" 2>/dev/null
  done
  for group in $groups; do kill -"$1" -- "-$group" 2>/dev/null && found=1; done
  if [ -n "$cgroup" ]; then
    for procs in "$cgroup"/*/cgroup.procs; do
      [ -f "$procs" ] || continue
      while read -r pid; do kill -"$1" "$pid" 2>/dev/null && found=1; done < "$procs"
    done
  fi
}
sweep TERM
[ "$found" = 1 ] && sleep 1 && sweep KILL
# The run's cgroups, once their members are gone (hoku created them; nothing else is touched).
if [ -n "$cgroup" ] && [ -d "$cgroup" ]; then
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    for dir in "$cgroup"/*/; do [ -d "$dir" ] && rmdir "$dir" 2>/dev/null; done
    rmdir "$cgroup" 2>/dev/null && break
    sleep 0.2
  done
fi
# Add-on containers of this run (labelled by the docker provider).
if [ -n "$containers" ] && command -v docker >/dev/null 2>&1; then
  docker ps -aq --filter "label=hoku.run=$run" 2>/dev/null | xargs -r docker rm -f >/dev/null 2>&1
fi
exit 0
`;

/** A running reaper; `release()` lets it sweep now (hoku's normal exit). */
export interface Reaper {
  /** Also stop this process group when hoku goes away (for processes that lose their tag). */
  watch(pgid: number): void;
  /** Also remove the add-on containers labelled with this run when hoku goes away. */
  sweepContainers(): void;
  /** Also stop the members of the run's cgroup folder, and remove it, when hoku goes away. */
  cgroup(dir: string): void;
  release(): void;
}

/** Starts the reaper for every process tagged `<runId>/...`. */
export function startReaper(runId: string): Reaper {
  const proc = Bun.spawn(["bash", "--noprofile", "--norc", "-c", SCRIPT, "hoku-reaper", runId], {
    // A bare environment: no BASH_ENV or shell hooks of the user's (a pyenv hook here kept
    // a copy of the reaper's stdin open, so it never saw hoku go away).
    env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" },
    stdin: "pipe",
    stdout: "ignore",
    stderr: "ignore",
    detached: true,
  });
  proc.unref();
  return {
    watch(pgid) {
      if (Number.isInteger(pgid) && pgid > 1) proc.stdin.write(`watch ${pgid}\n`);
      proc.stdin.flush();
    },
    sweepContainers() {
      proc.stdin.write("containers\n");
      proc.stdin.flush();
    },
    cgroup(dir) {
      proc.stdin.write(`cgroup ${dir}\n`);
      proc.stdin.flush();
    },
    release() {
      try {
        proc.stdin.end();
      } catch {
        // the reaper is already gone
      }
    },
  };
}
