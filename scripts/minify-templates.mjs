// A rollup plugin that shrinks the static text of lit's html`` and css``
// templates: runs of whitespace with a line break become one space (which
// HTML renders the same), and CSS loses comments and spaces around { } ; , >.
// Expressions inside ${} are skipped, strings and nested templates included.
// Its source map lets rollup map dist/ back to the lines of src/.

import MagicString from 'magic-string';

const tag = /\b(html|css|svg)\s*`/g;

/** The index after the JavaScript expression that starts at `i` (just past `${`). */
function skipExpression(code, i) {
  let depth = 1;
  while (i < code.length) {
    const c = code[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
    else if (c === '"' || c === "'") i = skipString(code, i);
    else if (c === '`') i = skipTemplate(code, i + 1, []).end - 1;
    i++;
  }
  return i;
}

function skipString(code, i) {
  const quote = code[i];
  for (i++; i < code.length && code[i] !== quote; i++) if (code[i] === '\\') i++;
  return i;
}

/** Scans a template from just past its backtick; collects its static parts as [start, end]. */
function skipTemplate(code, i, parts) {
  let start = i;
  while (i < code.length) {
    const c = code[i];
    if (c === '\\') i += 2;
    else if (c === '`') {
      parts.push([start, i]);
      return { end: i + 1 };
    } else if (c === '$' && code[i + 1] === '{') {
      parts.push([start, i]);
      i = start = skipExpression(code, i + 2);
    } else i++;
  }
  return { end: i };
}

// HTML is shrunk run by run, so the text between runs keeps its exact place in the map.
const htmlRuns = /\s*\n\s*/g;
const shrinkCss = (text) =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};,>]) ?/g, '$1')
    .replace(/: /g, ':')
    .replace(/;}/g, '}');

export function minifyTemplates() {
  return {
    name: 'minify-templates',
    transform(code, id) {
      if (!/\.ts$/.test(id)) return null;
      const edits = [];
      for (const match of code.matchAll(tag)) {
        const parts = [];
        skipTemplate(code, match.index + match[0].length, parts);
        for (const [start, end] of parts) {
          const text = code.slice(start, end);
          if (match[1] === 'css') edits.push([start, end, shrinkCss(text)]);
          else for (const run of text.matchAll(htmlRuns)) edits.push([start + run.index, start + run.index + run[0].length, ' ']);
        }
      }
      // Nested templates are found twice (alone and inside their parent's expression); keep the outermost pass's view.
      edits.sort((a, b) => b[0] - a[0]);
      const out = new MagicString(code);
      let limit = Infinity;
      for (const [start, end, text] of edits) {
        if (end > limit) continue;
        if (text !== code.slice(start, end)) out.overwrite(start, end, text);
        limit = start;
      }
      if (!out.hasChanged()) return null;
      return { code: out.toString(), map: out.generateMap({ hires: true, source: id }) };
    },
  };
}
