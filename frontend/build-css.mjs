// Builds the portal's NL Design System CSS from the installed npm packages (run by vendor.sh):
//
//   static/vendor/utrecht/components.css
//       The dist/index.min.css of every @utrecht/*-css component package listed in package.json
//       ("dependencies"; the whole bundle @utrecht/component-library-css is only there for the
//       build's completeness check and bench/css_sizes.py), in package.json's (alphabetical)
//       order, which is the bundle's order. Within them:
//       - rules survive only with the selectors that can match the portal's markup: a selector
//         needing a utrecht-* class that no template, tag or script writes is dropped (classes
//         inside :not()/:is()/:where()/:has() do not count, to stay on the safe side);
//       - custom properties that no var() reads any more are dropped;
//       - var(--x, fallback) becomes its fallback where nothing defines --x;
//       - var(--x) becomes the theme's value of --x where only the theme defines it, resolved
//         through the theme's aliases (what static/css/tokens.css defines stays a var()).
//       The build stops if the markup uses a class the whole bundle styles but the subset lacks.
//   static/vendor/voorbeeld-design-tokens/theme.css
//       The voorbeeld theme's .voorbeeld-theme block, reduced to the custom properties that
//       components.css and our own static/css/*.css still read as a var(), values resolved the
//       same way, less those static/css/tokens.css overrides.
//   frontend/tokens-unset.txt
//       The properties the shipped CSS reads that nothing defines (the theme's optional tokens).
//
// Adding a component: `npm install --save-exact @utrecht/<name>-css@<the bundle's version>`
// and run ./vendor.sh. tests/ui/test_static_css.py fails when the markup uses a utrecht-* class
// that the shipped CSS lacks, or the CSS reads a var(--x) that nothing defines.
// Node 20, no dependencies: the theme file is generated (one declaration per line), and any
// line this script does not understand stops the build rather than being dropped silently.

import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const staticDir = join(here, "..", "static");
const vendor = join(staticDir, "vendor");
const pkg = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
const lock = JSON.parse(readFileSync(join(here, "package-lock.json"), "utf8")).packages;

const root = join(here, "..");
const BUNDLE = "@utrecht/component-library-css";
const THEME = "@nl-design-system-unstable/voorbeeld-design-tokens";

// --- the utrecht-* classes the portal's markup can carry ---------------------------------------
// Every *.html (templates/ and the apps' templates), our own *.py and static/js/*.js. A class
// written with a template expression after its "--" (utrecht-button--{{ variant }}) keeps the
// modifiers package.json's praktijkleren.dynamicModifiers lists for that block (the build stops
// on a dynamic block it does not list); tests/test_static_css.py checks those lists.
const SKIP = new Set([".git", ".venv", "node_modules", "staticfiles", "vendor", "tests", "frontend"]);
function* sources(dir) {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name) || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.(html|py|js)$/.test(name)) yield path;
  }
}
const usedClasses = new Set();
const usedPrefixes = new Set();
for (const path of sources(root)) {
  const text = readFileSync(path, "utf8");
  for (const m of text.matchAll(/utrecht-[A-Za-z0-9_-]*[A-Za-z0-9_]/g)) usedClasses.add(m[0]);
  for (const m of text.matchAll(/(utrecht-[A-Za-z0-9_-]*[-_])\{[{%]/g)) usedPrefixes.add(m[1]);
}
const dynamic = pkg.praktijkleren.dynamicModifiers;
for (const prefix of usedPrefixes) {
  if (!dynamic[prefix]) throw new Error(`${prefix}{...}: list its values in package.json`);
  for (const value of dynamic[prefix]) usedClasses.add(prefix + value);
}
const isUsed = (name) => usedClasses.has(name);

const varRefs = (css) => new Set([...css.matchAll(/var\(\s*(--[A-Za-z0-9_-]+)/g)].map((m) => m[1]));

// --- a small CSS reader: rules and at-rules, comments dropped, strings respected ---------------
function parse(css) {
  let i = 0;
  function skipString(quote) {
    for (i++; i < css.length && css[i] !== quote; i++) if (css[i] === "\\") i++;
    i++;
  }
  function block() {
    const nodes = [];
    let start = i;
    while (i < css.length) {
      const c = css[i];
      if (c === "/" && css[i + 1] === "*") {
        const end = css.indexOf("*/", i + 2);
        css = css.slice(0, i) + css.slice(end + 2); // drop the comment in place
      } else if (c === '"' || c === "'") skipString(c);
      else if (c === "{") {
        const prelude = css.slice(start, i).trim();
        i++;
        if (prelude.startsWith("@") && !/^@(font-face|page|property|counter-style)/.test(prelude) &&
            !/^@(-webkit-)?keyframes/.test(prelude)) {
          nodes.push({ prelude, children: block() });
        } else {
          const bodyStart = i;
          let depth = 1;
          while (depth) {
            const d = css[i];
            if (d === '"' || d === "'") { skipString(d); continue; }
            if (d === "{") depth++;
            else if (d === "}") depth--;
            i++;
          }
          nodes.push({ prelude, body: css.slice(bodyStart, i - 1) });
        }
        start = i;
      } else if (c === "}") {
        i++;
        return nodes;
      } else if (c === ";" && css.slice(start, i).trim().startsWith("@")) {
        nodes.push({ statement: css.slice(start, i).trim() }); // @import, @layer a, b;
        i++;
        start = i;
      } else i++;
    }
    return nodes;
  }
  return block();
}
function splitTop(text, sep) {  // split on sep outside parentheses and brackets
  const out = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === sep && depth === 0) { out.push(text.slice(start, i)); start = i + 1; }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter(Boolean);
}
// A selector can match the portal's markup unless, outside any :not()/:is()/:where()/:has(),
// it requires a utrecht-* class that no template, tag or script writes.
function canMatch(selector) {
  let plain = "";
  let depth = 0;
  for (const c of selector) {
    if (c === "(") depth++;
    if (depth === 0) plain += c;
    if (c === ")") depth--;
  }
  return [...plain.matchAll(/\.(utrecht-[A-Za-z0-9_-]+)/g)].every((m) => isUsed(m[1]));
}
function prune(nodes) {  // the nodes whose selectors can match, with only those selectors
  const out = [];
  for (const node of nodes) {
    if (node.children) {
      const children = prune(node.children);
      if (children.length) out.push({ prelude: node.prelude, children });
    } else if (node.statement || node.prelude.startsWith("@") || /^(from|to|\d)/.test(node.prelude)) {
      out.push(node);
    } else {
      const selectors = splitTop(node.prelude, ",").filter(canMatch);
      if (selectors.length) out.push({ prelude: selectors.join(","), body: node.body });
    }
  }
  return out;
}
const plainRules = (nodes) => nodes.flatMap((n) => (n.children ? plainRules(n.children) : n.body !== undefined && !n.prelude.startsWith("@") ? [n] : []));
const serialize = (nodes) =>
  nodes
    .map((n) => (n.statement ? `${n.statement};` : n.children ? `${n.prelude}{${serialize(n.children)}}` : `${n.prelude}{${n.body}}`))
    .join("");
const withoutEmpty = (nodes) =>
  nodes.flatMap((n) => {
    if (n.children) {
      const children = withoutEmpty(n.children);
      return children.length ? [{ prelude: n.prelude, children }] : [];
    }
    return n.body !== undefined && !n.body.trim() ? [] : [n];
  });
// A custom property that no var() reads has no effect: drop such declarations from the component
// rules (the "pressed" or "hint" colours of modifiers pruned above), until nothing changes.
function dropUnreadCustomProperties(sheets, readers) {
  for (;;) {
    const read = varRefs([...sheets.flatMap((nodes) => plainRules(nodes).map((r) => r.body)), ...readers].join("\n"));
    let changed = false;
    for (const rule of sheets.flatMap(plainRules)) {
      const declarations = splitTop(rule.body, ";");
      const kept = declarations.filter((d) => {
        const name = d.match(/^(--[A-Za-z0-9_-]+)\s*:/);
        return !name || read.has(name[1]);
      });
      if (kept.length !== declarations.length) {
        rule.body = kept.join(";");
        changed = true;
      }
    }
    if (!changed) return sheets.map(withoutEmpty);
  }
}

// var(--x, fallback) where nothing defines --x is its fallback: write the fallback. (The
// portal's CSP forbids inline styles and no script sets properties, so the shipped CSS holds
// every definition there is.) This removes the chains through the "hint" colours of the modifiers
// pruned above and through the many optional tokens the theme leaves unset.
function foldUndefined(text, defined) {
  return mapVars(text, (name, fallback, whole) => {
    if (fallback === null) return whole;
    if (!defined.has(name)) return foldUndefined(fallback.trim(), defined);
    return `var(${name},${foldUndefined(fallback, defined)})`;
  });
}
// Each var(name[, fallback]) in text (outermost only) replaced by replace(name, fallback or
// null, the whole var(...) text); the rest of text unchanged.
function mapVars(text, replace) {
  let out = "";
  let i = 0;
  for (;;) {
    const at = text.indexOf("var(", i);
    if (at < 0) return out + text.slice(i);
    let depth = 0;
    let end = at + 3;
    let comma = -1;
    for (; end < text.length; end++) {
      const c = text[end];
      if (c === "(") depth++;
      else if (c === ")" && --depth === 0) break;
      else if (c === "," && depth === 1 && comma < 0) comma = end;
    }
    const name = text.slice(at + 4, comma < 0 ? end : comma).trim();
    const fallback = comma < 0 ? null : text.slice(comma + 1, end);
    out += text.slice(i, at) + replace(name, fallback, text.slice(at, end + 1));
    i = end + 1;
  }
}
const definedIn = (css) => new Set([...css.matchAll(/(--[A-Za-z0-9_-]+)\s*:/g)].map((m) => m[1]));

// --- the theme's declarations ---------------------------------------------------------------
const themeSource = readFileSync(join(here, "node_modules", THEME, "dist", "theme.css"), "utf8");
const open = themeSource.indexOf(".voorbeeld-theme {");
const close = themeSource.lastIndexOf("}");
if (open < 0 || close < open || themeSource.indexOf("{", open + 18) !== -1) {
  throw new Error(`${THEME}: expected one .voorbeeld-theme { ... } block`);
}
const declarations = new Map(); // custom property -> its value
for (const raw of themeSource.slice(open + 18, close).split("\n")) {
  const line = raw.trim().replace(/\s*\/\*[^*]*\*\/$/, ""); // a trailing /* [code-only] */
  if (!line) continue;
  const custom = line.match(/^(--[A-Za-z0-9_-]+)\s*:\s*(.*);$/);
  if (!custom) throw new Error(`${THEME}: a line this script does not understand: ${line}`);
  declarations.set(custom[1], custom[2].trim());
}
const themeTotal = declarations.size;

// tokens.css (one .praktijkleren-theme block on the same <body>, loaded later) overrides some of
// the theme's properties: those theme declarations never apply, so they are left out.
const tokensCss = readFileSync(join(staticDir, "css", "tokens.css"), "utf8");
if ((tokensCss.match(/\{/g) || []).length !== 1 || !tokensCss.includes(".praktijkleren-theme {")) {
  throw new Error("static/css/tokens.css: expected one .praktijkleren-theme { ... } block");
}
for (const name of definedIn(tokensCss)) declarations.delete(name);

// --- components ---------------------------------------------------------------------------
const components = Object.keys(pkg.dependencies).filter(
  (name) => /^@utrecht\/[a-z0-9-]+-css$/.test(name) && name !== BUNDLE,
);
const ownCss = readdirSync(join(staticDir, "css"))
  .filter((name) => name.endsWith(".css"))
  .map((name) => readFileSync(join(staticDir, "css", name), "utf8"));
let sheets = dropUnreadCustomProperties(
  components.map((name) =>
    prune(parse(readFileSync(join(here, "node_modules", name, "dist", "index.min.css"), "utf8"))),
  ),
  ownCss,
);
const defined = definedIn([themeSource, ...ownCss, ...sheets.map(serialize)].join("\n"));
for (const rule of sheets.flatMap(plainRules)) rule.body = foldUndefined(rule.body, defined);
sheets = dropUnreadCustomProperties(sheets, ownCss);

// The theme's aliases resolved at build time: a var(--x) whose only definition is the theme's
// (set once on <body>, inherited everywhere, never redefined by a component or our own CSS) is
// replaced by the value it resolves to. The browser would compute the same value, since custom
// properties carry tokens, not computed lengths; only the lookups and the 600 alias lines go.
// Resolution stops at any property tokens.css or a component defines, which stays a var(), so
// tokens.css still themes the portal (after a rebuild; tests/ui/test_static_css.py fails when
// one of its properties is read nowhere).
const definedOutsideTheme = definedIn([...ownCss, ...sheets.map(serialize)].join("\n"));
const themeOnly = (name) => declarations.has(name) && !definedOutsideTheme.has(name);
function resolveTheme(text, seen = new Set()) {
  return mapVars(text, (name, fallback, whole) => {
    if (themeOnly(name)) {
      if (seen.has(name)) throw new Error(`${THEME}: ${name} refers to itself`);
      return resolveTheme(declarations.get(name), new Set([...seen, name]));
    }
    return fallback === null ? whole : `var(${name},${resolveTheme(fallback, seen)})`;
  });
}
for (const rule of sheets.flatMap(plainRules)) rule.body = resolveTheme(rule.body);

const parts = components.map(
  (name, i) => `/* ${name}@${lock[`node_modules/${name}`].version} (EUPL-1.2) */\n${serialize(sheets[i])}\n`,
);
const componentsCss =
  `/* NL Design System components used by Praktijkleren, with the voorbeeld theme's values ` +
  `written in; generated by frontend/build-css.mjs. */\n` +
  parts.join("");
// A class the markup uses that the whole bundle styles but components.css does not: a package
// is missing from package.json (or was pruned wrongly). Stop rather than ship an unstyled page.
const hasClass = (css, name) => new RegExp(`\\.${name}(?![A-Za-z0-9_-])`).test(css);
const bundleCss = readFileSync(join(here, "node_modules", BUNDLE, "dist", "index.css"), "utf8");
const missing = [...usedClasses].filter((c) => hasClass(bundleCss, c) && !hasClass(componentsCss, c));
if (missing.length) throw new Error(`used but not shipped (add its package): ${missing.join(", ")}`);
writeFileSync(join(vendor, "utrecht", "components.css"), componentsCss);

// --- theme tokens -------------------------------------------------------------------------
// What is still read as a var() after the resolution above (by components.css or our own CSS),
// with its value resolved the same way.
const wanted = new Set();
const queue = [...varRefs([componentsCss, ...ownCss].join("\n"))];
while (queue.length) {
  const name = queue.pop();
  if (wanted.has(name) || !declarations.has(name)) continue;
  wanted.add(name);
  queue.push(...varRefs(resolveTheme(declarations.get(name))));
}
const kept = [...declarations]
  .filter(([name]) => wanted.has(name))
  .map(([name, value]) => `${name}: ${resolveTheme(value)};`);
const themeVersion = lock[`node_modules/${THEME}`].version;
writeFileSync(
  join(vendor, "voorbeeld-design-tokens", "theme.css"),
  `/* ${THEME}@${themeVersion} (EUPL-1.2): the ${kept.length} of ${themeTotal} ` +
    `custom properties our own CSS or a component still reads as a var() (the rest are written ` +
    `into components.css), less those static/css/tokens.css overrides; generated by ` +
    `frontend/build-css.mjs. */\n` +
    `.voorbeeld-theme {\n${kept.map((l) => `  ${l}`).join("\n")}\n}\n`,
);

// The properties the shipped CSS reads that nothing defines (optional tokens the voorbeeld theme
// leaves unset; a var() without fallback there is upstream's choice): tests/test_static_css.py
// accepts exactly these as undefined.
const shippedCss = [componentsCss, kept.join("\n"), ...ownCss].join("\n");
const definedShipped = definedIn(shippedCss);
writeFileSync(
  join(here, "tokens-unset.txt"),
  `${[...varRefs(shippedCss)].filter((n) => !definedShipped.has(n)).sort().join("\n")}\n`,
);

console.log(
  `components.css: ${components.length} components, ${componentsCss.length} bytes; ` +
    `theme.css: ${kept.length}/${themeTotal} custom properties`,
);
