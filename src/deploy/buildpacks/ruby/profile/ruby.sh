# Written into the slug as .profile.d/ruby.sh (Heroku's shape): the gems bundler installed in
# vendor/bundle and their executables, found from $HOME wherever the slug runs. Bundler's
# settings are in .bundle/config with a relative path, so `bundle exec` finds the same gems.
export LANG=${LANG:-en_US.UTF-8}
export GEM_PATH="$HOME/vendor/bundle/ruby/__RUBY_ABI__${GEM_PATH:+:$GEM_PATH}"
export PATH="$HOME/bin:$HOME/vendor/bundle/bin:$HOME/vendor/bundle/ruby/__RUBY_ABI__/bin:$PATH"
export RACK_ENV=${RACK_ENV:-production}
export RAILS_ENV=${RAILS_ENV:-production}
