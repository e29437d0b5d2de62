// A rollup plugin that shrinks the static text of lit's html`` and css``
// templates: runs of whitespace with a line break become one space (which
// HTML renders the same), and CSS loses comments and spaces around { } ; , >.
// Expressions inside ${} are skipped, strings and nested templates included.

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

const shrinkHtml = (text) => text.replace(/\s*\n\s*/g, ' ');
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
        const shrink = match[1] === 'css' ? shrinkCss : shrinkHtml;
        for (const [start, end] of parts) edits.push([start, end, shrink(code.slice(start, end))]);
      }
      if (!edits.length) return null;
      // Nested templates are found twice (alone and inside their parent's expression); keep the outermost pass's view.
      edits.sort((a, b) => b[0] - a[0]);
      let out = code;
      let limit = Infinity;
      for (const [start, end, text] of edits) {
        if (end > limit) continue;
        out = out.slice(0, start) + text + out.slice(end);
        limit = start;
      }
      return { code: out, map: null };
    },
  };
}
