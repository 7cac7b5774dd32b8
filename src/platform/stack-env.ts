/**
 * What the stack gives every deployed dyno besides its release's config vars and what is set
 * per dyno (DYNO, PORT, HOME): Heroku's values (DY-1), how a dyno's command starts (DY-3), and
 * the prompt `heroku run bash` shows, `~ $`.
 */
export const STACK_ENV: Readonly<Record<string, string>> = {
  PATH: "/usr/local/bin:/usr/bin:/bin",
  LANG: "en_US.UTF-8",
  STACK: "heroku-24",
};

/** Sources the slug's `.profile.d/*.sh`, then `.profile`, then runs the command given as $0 (DY-3). */
export const STARTUP_SCRIPT = 'for f in "$HOME"/.profile.d/*.sh; do [ -r "$f" ] && . "$f"; done; if [ -r "$HOME/.profile" ]; then . "$HOME/.profile"; fi; exec bash -c "$0"';

/** Heroku's prompt (herokuish: include/herokuish.bash): the working directory in blue, then a green `$`. */
export const HEROKU_PS1 = "\\[\\033[01;34m\\]\\w\\[\\033[00m\\] \\[\\033[01;32m\\]$ \\[\\033[00m\\]";

/**
 * The dyno's /etc/bash.bashrc (the sandbox lays it over the machine's), read by an interactive
 * shell: Heroku's prompt, where Debian's gives `root@host:~#`. It is set here, not in the
 * environment, because bash drops PS1 from the environment of every shell that runs a script,
 * and a dyno's command runs through two (STARTUP_SCRIPT, then the command's own).
 */
export const STACK_BASHRC = `# A dyno's /etc/bash.bashrc (hoku): Heroku's prompt.
[ -z "$PS1" ] && return
shopt -s checkwinsize
PS1='${HEROKU_PS1}'
`;
