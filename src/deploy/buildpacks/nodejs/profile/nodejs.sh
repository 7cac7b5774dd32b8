# Written into the slug as .profile.d/nodejs.sh (Heroku's own, plus pnpm's folder): node and npm
# (links to the host's, made at build time), yarn or pnpm first, the app's node_modules/.bin last.
export PATH="$HOME/.heroku/node/bin:$HOME/.heroku/yarn/bin:$HOME/.heroku/pnpm/bin:$PATH:$HOME/bin:$HOME/node_modules/.bin"
export NODE_HOME="$HOME/.heroku/node"
export NODE_ENV=${NODE_ENV:-production}
