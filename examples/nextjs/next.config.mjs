import { fileURLToPath } from 'node:url';

// The repository root: where `agent-console` itself (package.json, dist/) and
// the installed next, react and lit live. This example has no package.json of
// its own, so `import 'agent-console'` resolves to the package by its name
// through the root package.json's "exports", exactly as in an app that
// installed it.
const root = fileURLToPath(new URL('../../', import.meta.url));

// This example sends Next.js no usage data, however it is run. The config is
// read before Next.js sets up its telemetry, so this takes effect.
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

/** @type {import('next').NextConfig} */
export default {
  turbopack: { root },
  outputFileTracingRoot: root,
};
