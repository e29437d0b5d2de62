// Writes docs/api.md from custom-elements.json: one section per element with
// its properties, methods, events, slots, parts and CSS custom properties.
// Type names in descriptions (`SendDetail`, `ChannelAdapter`…) link to their
// pages in docs/api/, which TypeDoc writes first (`npm run docs`).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('custom-elements.json', root)));

// Every page of a declaration in docs/api/, by name.
const typePages = new Map(
  readdirSync(new URL('docs/api/', root), { recursive: true })
    .map((file) => file.split('\\').join('/'))
    .filter((file) => /\/(classes|interfaces|type-aliases|functions|variables)\/[^/]+\.md$/.test(file))
    .map((file) => [file.split('/').at(-1).slice(0, -3), `api/${file}`]),
);
const linkTypes = (text) => text.replace(/`([A-Z]\w+)`/g, (code, name) => (typePages.has(name) ? `[${code}](${typePages.get(name)})` : code));
const plain = (text = '') => String(text).replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
const cell = (text) => linkTypes(plain(text));
const code = (text) => (text ? `\`${plain(text)}\`` : '');

function table(title, headings, rows) {
  if (!rows?.length) return '';
  return [
    `#### ${title}`,
    '',
    `| ${headings.join(' | ')} |`,
    `| ${headings.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
  ].join('\n');
}

const elements = manifest.modules
  .flatMap((module) => module.declarations ?? [])
  .filter((declaration) => declaration.customElement)
  .sort((a, b) => a.tagName.localeCompare(b.tagName));

const isPublic = (member) => !member.privacy && !member.name.startsWith('#') && !member.static;
const sections = elements.map((element) => {
  const fields = element.members.filter((m) => m.kind === 'field' && isPublic(m));
  const methods = element.members.filter((m) => m.kind === 'method' && isPublic(m));
  return [
    `## \`<${element.tagName}>\``,
    '',
    `Class \`${element.name}\`. Import \`agent-console/${element.tagName.replace(/^agent-/, '')}.js\` to register it alone.`,
    '',
    linkTypes(element.description ?? ''),
    '',
    table('Properties', ['property', 'attribute', 'type', 'default', 'description'], fields.map((f) => [
      code(f.name), code(f.attribute), code(f.type?.text), code(f.default), cell(f.description),
    ])),
    table('Methods', ['method', 'returns', 'description'], methods.map((m) => [
      code(`${m.name}(${(m.parameters ?? []).map((p) => p.name).join(', ')})`), code(m.return?.type?.text), cell(m.description),
    ])),
    table('Events', ['event', 'description'], element.events?.map((e) => [code(e.name), cell(e.description)])),
    table('Slots', ['slot', 'description'], element.slots?.map((s) => [s.name ? code(s.name) : '(default)', cell(s.description)])),
    table('CSS parts', ['part', 'description'], element.cssParts?.map((p) => [code(p.name), cell(p.description)])),
    table('CSS custom properties', ['property', 'description'], element.cssProperties?.map((p) => [code(p.name), cell(p.description)])),
  ].join('\n');
});

mkdirSync(new URL('docs/', root), { recursive: true });
writeFileSync(
  new URL('docs/api.md', root),
  `# API reference\n\nGenerated from \`custom-elements.json\` by \`npm run build\`; do not edit by hand.\n\n` +
    'The elements, their properties, events, slots, parts and CSS custom properties. The TypeScript API — ' +
    'the `detail` types of these events, `ConsoleCore`, and the channel adapter contract — is in the ' +
    '[TypeScript API reference](api/README.md); colours, fonts and the dark theme are on [Theming](theming.md).\n\n' +
    sections.join('\n').replace(/\n{3,}/g, '\n\n'),
);
console.log(`docs/api.md: ${elements.length} element(s)`);
