#!/usr/bin/env bash
# Vendors the front-end assets into static/vendor/ so nothing is fetched at run time.
#   the @utrecht/*-css components package.json lists (EUPL-1.2)  -> static/vendor/utrecht/components.css
#   @nl-design-system-unstable/voorbeeld-design-tokens (EUPL-1.2) -> static/vendor/voorbeeld-design-tokens/theme.css
#     (both built by build-css.mjs: only the components the portal uses, with the theme's values
#     written in, and only the theme's custom properties our CSS still reads; the whole bundle @utrecht/component-library-css
#     stays a dependency for bench/css_sizes.py's comparison, and is not shipped)
#   axe-core (MPL-2.0; only loaded by the browser tests)           -> static/vendor/axe-core/
# Versions are pinned in package.json / package-lock.json; update with `npm install --save-exact`.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
vendor="$here/../static/vendor"

cd "$here"
npm ci --no-audit --no-fund --ignore-scripts

copy() {  # copy <package> <file in package> <target dir>
    mkdir -p "$vendor/$3"
    cp "node_modules/$1/$2" "$vendor/$3/"
}

rm -rf "$vendor"
copy @utrecht/component-library-css LICENSE.md utrecht
copy @nl-design-system-unstable/voorbeeld-design-tokens LICENSE.md voorbeeld-design-tokens
node build-css.mjs
copy axe-core axe.min.js axe-core
copy axe-core LICENSE axe-core
copy axe-core LICENSE-3RD-PARTY.txt axe-core

# Record exactly what was vendored.
node -e '
const lock = require("./package-lock.json").packages;
const deps = Object.keys(require("./package.json").dependencies);
const names = deps.filter(n => n !== "@utrecht/component-library-css");
for (const n of names) { const p = lock["node_modules/" + n]; console.log(`${n}@${p.version} ${p.license} ${p.integrity}`); }
' > "$vendor/VERSIONS.txt"
cat "$vendor/VERSIONS.txt"
