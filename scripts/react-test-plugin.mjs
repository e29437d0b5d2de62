// A @web/test-runner plugin that serves React, which ships only CommonJS, as
// ES modules to browser tests. One esbuild bundle holds react, react-dom and
// the JSX runtime, so they share one React; each bare import of them maps to
// a small module that re-exports its part of that bundle.
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const modules = ['react', 'react/jsx-runtime', 'react-dom', 'react-dom/client'];
const prefix = '/__react__/';

async function bundle() {
  const result = await build({
    stdin: { contents: `module.exports = { ${modules.map((id) => `'${id}': require('${id}')`).join(', ')} };`, resolveDir: process.cwd() },
    bundle: true,
    format: 'esm',
    write: false,
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/**
 * The names each module exports, as Node sees them. Asked of another Node
 * process: React's development build patches `console` as it loads, which the
 * test runner's own console does not allow.
 */
async function exportNames() {
  const code = `console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(modules)}.map((id) => [id, Object.keys(require(id))]))))`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', code]);
  return JSON.parse(stdout);
}

/** A module with the default and named exports of `id`. */
function facade(id, exported) {
  const names = exported.filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
  return `import vendor from '${prefix}vendor.js';\nconst module = vendor['${id}'];\nexport default module;\nexport const { ${names.join(', ')} } = module;\n`;
}

export function reactTestPlugin() {
  let vendor;
  let names;
  return {
    name: 'react-test',
    resolveImport({ source }) {
      if (modules.includes(source)) return `${prefix}${source}.js`;
    },
    async serve({ path }) {
      if (!path.startsWith(prefix)) return;
      const id = path.slice(prefix.length, -'.js'.length);
      if (id === 'vendor') return { body: await (vendor ??= bundle()), type: 'js' };
      if (modules.includes(id)) return { body: facade(id, (await (names ??= exportNames()))[id]), type: 'js' };
    },
  };
}
