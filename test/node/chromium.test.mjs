// The browser the tests and benchmarks use is one that starts here: an
// installed Chromium that cannot run (a missing library, a broken package) is
// passed over for the next candidate, not used.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../scripts/chromium.mjs', import.meta.url));

test('a Chromium that exists but cannot start is passed over, with a warning naming it', { timeout: 180_000 }, async () => {
  const folder = mkdtempSync(join(tmpdir(), 'broken-chromium-'));
  const broken = join(folder, 'chromium');
  writeFileSync(broken, '#!/bin/sh\necho "error while loading shared libraries: libnss3.so" >&2\nexit 127\n');
  chmodSync(broken, 0o755);
  try {
    const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '--eval', `const { findChromium } = await import(${JSON.stringify(script)}); console.log(await findChromium());`], {
      env: { ...process.env, CHROME_PATH: broken },
      timeout: 170_000,
    });
    const chosen = stdout.trim();
    assert.notEqual(chosen, broken);
    assert.ok(chosen.length > 0, 'another Chromium was found');
    assert.match(stderr, new RegExp(`Chromium at ${broken} does not start here`));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
