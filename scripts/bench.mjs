// `npm run bench`: renders transcripts of 1,000, 10,000 and 100,000 messages in
// <agent-conversation-pane> and in a naive, non-virtualised Lit list
// (bench/naive-transcript.ts) in headless Chromium, and prints, for each size:
// time to the first settled frame, elements in the view, JS heap, and time to
// append one message. It is a report: it exits 0 even when over budget.
// Run with the default options, it writes its table into README.md.
//
// Options: --sizes=1000,10000  --runs=5  --appends=20  --screenshots=DIR (each
// view after its appends)  --vsync (keep Chromium's 60 Hz frame limit; by
// default frames run unthrottled, so a "settled frame" measures work, not the
// wait for the next vsync).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { chromiumArgs, findChromium } from './chromium.mjs';
import { writeFigures } from './readme-figures.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const option = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const sizes = option('sizes', '1000,10000,100000').split(',').map(Number);
const runs = Math.max(1, Number(option('runs', 5)));
const appends = Math.max(1, Number(option('appends', 20)));
const vsync = process.argv.includes('--vsync');
const screenshots = option('screenshots', '');
if (screenshots) mkdirSync(screenshots, { recursive: true });

// Budgets for the pane (the naive list is the reference, it has none).
const budgets = {
  firstFrame: { 10000: 50, 100000: 100 },
  elements: 500,
  append: 20,
};

const began = performance.now();
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const nproc = (() => {
  try {
    return execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    return String(availableParallelism());
  }
})();

// —— The page ——

const bundle = await build({
  absWorkingDir: root,
  entryPoints: ['bench/bench-page.ts'],
  bundle: true,
  format: 'esm',
  write: false,
  minify: true,
  conditions: ['production'],
  tsconfig: 'tsconfig.json',
  target: 'es2023',
  legalComments: 'none',
  logLevel: 'error',
});
const script = bundle.outputFiles[0].text;
const page_html = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><link rel="icon" href="data:," /><title>agent-console bench</title>
  <style>body { margin: 0; font: 15px/1.4 system-ui, sans-serif; } #host { width: 400px; height: 700px; }</style></head>
  <body><div id="host"></div><script type="module" src="/bench.js"></script></body>
</html>`;

const server = createServer((request, response) => {
  if (request.url === '/') response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page_html);
  else if (request.url === '/bench.js') response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
  else response.writeHead(404).end();
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await puppeteer.launch({
  executablePath: await findChromium(),
  headless: true,
  args: [...chromiumArgs, ...(vsync ? [] : ['--disable-frame-rate-limit', '--disable-gpu-vsync']), '--window-size=1000,900'],
  defaultViewport: { width: 1000, height: 900 },
  protocolTimeout: 300_000,
});

const rows = [];
let version;
try {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warn') problems.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(url);
  await page.waitForSelector('body[data-ready]');
  const cdp = await page.createCDPSession();
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = await cdp.send('Runtime.getHeapUsage');
    return { js: (usage.usedSize + (usage.backingStorageSize ?? 0)) / 2 ** 20, dom: (usage.embedderHeapUsedSize ?? NaN) / 2 ** 20 };
  };

  version = await browser.version();
  const fps = await page.evaluate(() => window.bench.frameRate());
  console.log(`agent-conversation-pane benchmark · nproc ${nproc} · ${version} · rAF ${fps.toFixed(0)}/s${vsync ? ' (vsync)' : ' (frame rate unthrottled)'}`);
  console.log(`pane 400×700 px · first frame: median of ${runs} fresh mounts · append: median of ${appends} adapter 'message' events\n`);

  // Warm up the JIT and Intl caches on a small transcript, not counted.
  await page.evaluate(() => window.bench.fill(200));
  for (const kind of ['pane', 'naive']) await page.evaluate((k) => window.bench.mount(k), kind);

  for (const size of sizes) {
    const { fillMs } = await page.evaluate((n) => window.bench.fill(n), size);
    await page.evaluate(() => window.bench.unmount());
    const data = await heap();
    process.stderr.write(`${size.toLocaleString('en')} messages: transcript filled in ${fillMs.toFixed(0)} ms; heap with no view ${data.js.toFixed(1)} MB\n`);
    for (const kind of ['pane', 'naive']) {
      const mounts = [];
      for (let i = 0; i < runs; i++) mounts.push(await page.evaluate((k) => window.bench.mount(k), kind));
      const elements = await page.evaluate(() => window.bench.elements());
      const memory = await heap();
      const appendRuns = [];
      for (let i = 0; i < appends; i++) appendRuns.push(await page.evaluate(() => window.bench.append()));
      if (screenshots) await (await page.$('#host')).screenshot({ path: `${screenshots}/${kind}-${size}.png` });
      await page.evaluate(() => window.bench.unmount());
      rows.push({ size, kind, mounts, elements, memory, data, appendRuns });
      process.stderr.write(`  ${kind}: done at ${((performance.now() - began) / 1000).toFixed(0)} s\n`);
    }
  }
  const hidden = rows.flatMap(({ size, kind, appendRuns }) => (appendRuns.some((r) => !r.visible) ? [`${kind} at ${size}`] : []));
  if (hidden.length) console.log(`Appended message rendered but not scrolled into view: ${hidden.join(', ')}\n`);
  if (problems.length) console.log(`Page reported ${problems.length} problem(s):\n  ${[...new Set(problems)].slice(0, 10).join('\n  ')}\n`);
} finally {
  await browser.close();
  server.close();
}

// —— The report ——

const fmt = (value, digits = 1) => value.toFixed(digits);
const verdict = (value, budget) => (budget === undefined ? '' : value < budget ? ' ok' : ` OVER (<${budget})`);
const table = [['messages', 'view', 'first frame ms', 'elements', 'JS heap MB', 'append ms']];
for (const { size, kind, mounts, elements, memory, appendRuns } of rows) {
  const pane = kind === 'pane';
  const first = median(mounts.map((m) => m.ms));
  const append = median(appendRuns.map((m) => m.ms));
  table.push([
    size.toLocaleString('en'),
    pane ? 'pane' : 'naive',
    fmt(first) + (pane ? verdict(first, budgets.firstFrame[size]) : ''),
    String(elements) + (pane ? verdict(elements, budgets.elements) : ''),
    `${fmt(memory.js)} (+${fmt(memory.dom)} DOM)`,
    fmt(append) + (pane ? verdict(append, budgets.append) : ''),
  ]);
}
const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
const line = (row) => row.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
console.log(line(table[0]));
console.log(widths.map((w) => '─'.repeat(w)).join('  '));
for (const row of table.slice(1)) console.log(line(row));
console.log(
  '\nBudgets (pane only): first frame < 50 ms at 10,000 and < 100 ms at 100,000; < 500 elements; append < 20 ms.' +
    '\nJS heap: V8 heap plus ArrayBuffer backing stores, after GC, with the view showing the transcript (the data alone: "data MB"' +
    ' below); DOM: Blink (embedder) heap.',
);

// Where the time goes: update cycles, and time in the pane's Lit lifecycle;
// the rest of a first frame is style, layout, paint and the two frames waited.
const phases = [['messages', 'view', 'data MB', 'first: ms min–max', 'updates', 'willUpdate', 'update', 'updated', 'other', 'append: updates', 'lit ms', 'other']];
for (const { size, kind, mounts, data, appendRuns } of rows) {
  const mid = (list, key) => median(list.map((m) => m[key]));
  const firstLit = mid(mounts, 'willUpdateMs') + mid(mounts, 'updateMs') + mid(mounts, 'updatedMs');
  const appendLit = median(appendRuns.map((m) => m.willUpdateMs + m.updateMs + m.updatedMs));
  phases.push([
    size.toLocaleString('en'),
    kind,
    fmt(data.js),
    `${fmt(Math.min(...mounts.map((m) => m.ms)))}–${fmt(Math.max(...mounts.map((m) => m.ms)))}`,
    fmt(mid(mounts, 'updates'), 0),
    fmt(mid(mounts, 'willUpdateMs')),
    fmt(mid(mounts, 'updateMs')),
    fmt(mid(mounts, 'updatedMs')),
    fmt(mid(mounts, 'ms') - firstLit),
    fmt(mid(appendRuns, 'updates'), 0),
    fmt(appendLit),
    fmt(mid(appendRuns, 'ms') - appendLit),
  ]);
}
const phaseWidths = phases[0].map((_, c) => Math.max(...phases.map((row) => row[c].length)));
const phaseLine = (row) => row.map((cell, c) => (c < 2 ? cell.padEnd(phaseWidths[c]) : cell.padStart(phaseWidths[c]))).join('  ');
console.log('\nPhases (medians, ms; "other" = style, layout, paint, frames waited):');
console.log(phaseLine(phases[0]));
for (const row of phases.slice(1)) console.log(phaseLine(row));
console.log(`\nTotal ${((performance.now() - began) / 1000).toFixed(0)} s.`);

// The README shows the figures of a full run, as they came out.
if (process.argv.slice(2).every((arg) => arg === '--vsync')) {
  const markdown = (row) => `| ${row.join(' | ')} |`;
  writeFigures(
    'bench',
    [
      `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} · ${nproc} cores · ${version} · median of ${runs} mounts and ${appends} appends:`,
      '',
      markdown(table[0]),
      markdown(table[0].map((_, c) => (c < 2 ? '---' : '---:'))),
      ...table.slice(1).map(markdown),
      '',
    ].join('\n'),
  );
  console.log('Written to README.md.');
}
