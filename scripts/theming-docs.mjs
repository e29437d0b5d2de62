// Writes the generated tables of docs/theming.md — every --agent-* custom
// property the elements read, with its default, its value in themes/dark.css
// and what it styles, and every ::part — from the styles the elements really
// apply and the JSDoc in custom-elements.json. Fails (exit 1) when the two
// disagree, so the styling API cannot drift from its documentation:
// - an element's styles read a property its JSDoc has no @cssproperty for;
// - a property is documented but no element reads it;
// - one property has different defaults in different places;
// - a template has a part its element's JSDoc has no @csspart for, or the
//   JSDoc names a part no template has;
// - a colour property is missing from either block of themes/dark.css.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');
const problems = [];

// The element classes, from the source (Lit runs in Node with its DOM shim).
const bundle = new URL('node_modules/.cache/agent-console/elements.mjs', root);
mkdirSync(dirname(fileURLToPath(bundle)), { recursive: true });
await build({
  entryPoints: [fileURLToPath(new URL('src/index.ts', root))],
  outfile: fileURLToPath(bundle),
  bundle: true,
  format: 'esm',
  platform: 'node',
  packages: 'external',
  logLevel: 'error',
});
const classes = await import(pathToFileURL(fileURLToPath(bundle)).href);

const manifest = JSON.parse(read('custom-elements.json'));
const elements = manifest.modules
  .flatMap((module) => (module.declarations ?? []).map((declaration) => ({ ...declaration, path: module.path })))
  .filter((declaration) => declaration.customElement)
  .sort((a, b) => a.tagName.localeCompare(b.tagName));

/** Every `var(--agent-…)` in a stylesheet, nested ones included, with its fallback as written. */
function customPropertyUses(cssText) {
  const uses = [];
  for (let start = cssText.indexOf('var('); start !== -1; start = cssText.indexOf('var(', start + 4)) {
    let depth = 0;
    let end = start + 3;
    do {
      if (cssText[end] === '(') depth++;
      else if (cssText[end] === ')') depth--;
      end++;
    } while (depth > 0 && end < cssText.length);
    const args = cssText.slice(start + 4, end - 1);
    const comma = args.indexOf(',');
    const name = (comma === -1 ? args : args.slice(0, comma)).trim();
    if (name.startsWith('--agent-')) uses.push({ name, fallback: comma === -1 ? '' : args.slice(comma + 1).trim().replace(/\s+/g, ' ') });
  }
  return uses;
}

/** Static part names in the templates of an element's folder, and whether any part is computed. */
function templateParts(folder) {
  const names = new Set();
  let computed = false;
  for (const file of readdirSync(new URL(`${folder}/`, root)).filter((name) => name.endsWith('.ts') && !name.endsWith('.styles.ts'))) {
    for (const [, value] of read(`${folder}/${file}`).matchAll(/\b(?:export)?parts?="([^"]*)"/g)) {
      for (const token of value.replace(/\$\{[^}]*\}/g, () => ((computed = true), ' ')).split(/[\s,]+/)) if (token) names.add(token);
    }
  }
  return { names, computed };
}

// What each element reads and documents.
const properties = new Map(); // name → { fallback, readBy: Set<tag>, docs: Map<description, tag[]> }
const property = (name) => {
  if (!properties.has(name)) properties.set(name, { fallbacks: new Map(), readBy: new Set(), docs: new Map() });
  return properties.get(name);
};
for (const element of elements) {
  const tag = `<${element.tagName}>`;
  const elementClass = classes[element.name];
  if (!elementClass) {
    problems.push(`${tag}: class ${element.name} is not exported from src/index.ts.`);
    continue;
  }
  elementClass.finalize();
  const cssText = elementClass.elementStyles.map((style) => style.cssText).join('\n');
  const documented = new Set((element.cssProperties ?? []).map((p) => p.name));
  for (const { name, fallback } of customPropertyUses(cssText)) {
    const entry = property(name);
    entry.readBy.add(element.tagName);
    if (fallback) entry.fallbacks.set(fallback, [...(entry.fallbacks.get(fallback) ?? []), element.tagName]);
    if (!documented.has(name) && !problems.at(-1)?.startsWith(`${tag} reads ${name},`)) problems.push(`${tag} reads ${name}, but ${element.path} has no "@cssproperty ${name} - …" line.`);
  }
  for (const { name, description = '' } of element.cssProperties ?? []) {
    const docs = property(name).docs;
    docs.set(description, [...(docs.get(description) ?? []), element.tagName]);
  }

  const folder = dirname(element.path);
  const { names, computed } = templateParts(folder);
  const partDocs = new Set((element.cssParts ?? []).map((p) => p.name));
  for (const name of names) if (!partDocs.has(name)) problems.push(`${tag} has part "${name}", but ${element.path} has no "@csspart ${name} - …" line.`);
  for (const name of partDocs) {
    if (!names.has(name) && !computed) problems.push(`${element.path} documents part "${name}", which no template in ${folder}/ has.`);
  }
}
for (const [name, { readBy, fallbacks }] of properties) {
  if (!readBy.size) problems.push(`${name} is documented, but no element's styles read it.`);
  if (fallbacks.size > 1) {
    problems.push(`${name} has different defaults: ${[...fallbacks].map(([value, tags]) => `${value} (${[...new Set(tags)].join(', ')})`).join('; ')}.`);
  }
}

// The dark theme: a colour property must be in both of its blocks.
const isColour = (fallback) => /^(#|rgb|hsl|oklch|color-mix|light-dark)/.test(fallback) || /^var\(--agent-[\w-]+, *(#|rgb|hsl|color-mix)/.test(fallback);
const darkCss = read('themes/dark.css');
const darkBlocks = [...darkCss.matchAll(/\{([^{}]*)\}/g)].map(([, body]) => new Map([...body.matchAll(/([\w-]+)\s*:\s*([^;]+);/g)].map(([, n, v]) => [n, v.trim()])));
if (darkBlocks.length !== 2) problems.push(`themes/dark.css should have two blocks (the class and the media query), not ${darkBlocks.length}.`);
const dark = darkBlocks[0] ?? new Map();
for (const [name, { fallbacks }] of properties) {
  const fallback = [...fallbacks.keys()][0] ?? '';
  if (isColour(fallback) && darkBlocks.some((block) => !block.has(name))) problems.push(`${name} is a colour, but a block of themes/dark.css does not set it.`);
}
for (const name of darkBlocks.flatMap((block) => [...block.keys()])) if (name.startsWith('--') && !properties.has(name)) problems.push(`themes/dark.css sets ${name}, which no element reads.`);
if (darkBlocks.length === 2 && JSON.stringify([...darkBlocks[0]]) !== JSON.stringify([...darkBlocks[1]])) {
  problems.push('The two blocks of themes/dark.css differ; they must set the same values.');
}

if (problems.length) {
  console.error(`docs/theming.md not written:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}

// The tables.
const cell = (text) => String(text).replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
const code = (text) => (text ? `\`${cell(text)}\`` : '');
const tags = (list) => list.map((tag) => `\`<${tag}>\``).join(', ');
const propertyRows = [...properties]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([name, { fallbacks, readBy, docs }]) => {
    const styles = [...docs].map(([description, documentedBy]) =>
      docs.size === 1 ? cell(description) : `${cell(description)} (${tags(documentedBy)})`,
    );
    return `| ${code(name)} | ${code([...fallbacks.keys()][0])} | ${code(dark.get(name))} | ${styles.join('<br>')} | ${tags([...readBy].sort())} |`;
  });
const partRows = elements.flatMap((element) =>
  (element.cssParts ?? []).map((part) => `| \`<${element.tagName}>\` | ${code(part.name)} | ${cell(part.description ?? '')} |`),
);
const generated = [
  '<!-- Generated by scripts/theming-docs.mjs from the element styles and their JSDoc; do not edit by hand. -->',
  '',
  '### Custom properties',
  '',
  '| property | default | dark theme | what it styles | read by |',
  '| --- | --- | --- | --- | --- |',
  ...propertyRows,
  '',
  '### Parts',
  '',
  'Style these with `::part()`, e.g. `agent-console::part(toast) { max-width: 20rem; }`.',
  '',
  '| element | part | what it is |',
  '| --- | --- | --- |',
  ...partRows,
].join('\n');

const page = read('docs/theming.md');
const start = '<!-- generated:start -->';
const end = '<!-- generated:end -->';
if (!page.includes(start) || !page.includes(end)) {
  console.error(`docs/theming.md needs the markers ${start} and ${end}.`);
  process.exit(1);
}
writeFileSync(new URL('docs/theming.md', root), `${page.slice(0, page.indexOf(start) + start.length)}\n${generated}\n${page.slice(page.indexOf(end))}`);
console.log(`docs/theming.md: ${properties.size} custom properties, ${partRows.length} parts`);
