// Figures in README.md are written by the scripts that measure them, between
// <!-- figures:NAME --> and <!-- /figures:NAME --> markers, never by hand.
import { readFileSync, writeFileSync } from 'node:fs';

const readme = new URL('../README.md', import.meta.url);
const block = (name) => new RegExp(`(<!-- figures:${name} -->\\n)([\\s\\S]*?)(<!-- /figures:${name} -->)`);

/** The figures README.md holds under `name` (throws when the markers are missing). */
export function readFigures(name) {
  const match = readFileSync(readme, 'utf8').match(block(name));
  if (!match) throw new Error(`README.md has no <!-- figures:${name} --> block.`);
  return match[2];
}

/** Replaces the figures under `name` with `text` (a Markdown fragment, ending in a newline). */
export function writeFigures(name, text) {
  readFigures(name);
  const content = readFileSync(readme, 'utf8');
  writeFileSync(readme, content.replace(block(name), (_, start, _old, end) => `${start}${text}${end}`));
}
