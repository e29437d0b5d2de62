import typescript from '@rollup/plugin-typescript';
import { minifyTemplates } from './scripts/minify-templates.mjs';

// One file per source module, so bundlers can drop what a page does not use;
// lit, dompurify and date-fns stay dependencies, not copies. No node-resolve
// plugin: every bare import is external, and it would apply package.json's
// `sideEffects` (written for dist/) to src/ and drop element registration.
export default {
  input: {
    index: 'src/index.ts',
    'attachment-picker': 'src/attachment-picker.ts',
    console: 'src/console.ts',
    'conversation-pane': 'src/conversation-pane.ts',
    'error-banner': 'src/error-banner.ts',
    'privacy-notice': 'src/privacy-notice.ts',
    'request-toast': 'src/request-toast.ts',
    'toast-stack': 'src/toast-stack.ts',
    'adapters/index': 'src/adapters/index.ts',
    'adapters/contract': 'src/adapters/contract.ts',
    policy: 'src/policy.ts',
    react: 'src/react.ts',
    'jsx-react': 'src/jsx-react.ts',
    'jsx-preact': 'src/jsx-preact.ts',
  },
  output: {
    dir: 'dist',
    format: 'es',
    preserveModules: true,
    preserveModulesRoot: 'src',
    sourcemap: true,
  },
  external: (id) => /^(lit|@lit|lit-html|lit-element|dompurify|date-fns|tslib|react|react-dom)(\/|$)/.test(id),
  // The JSX entries are types; their empty modules only let a plain `import` of them resolve.
  onwarn: (warning, warn) => (warning.code === 'EMPTY_BUNDLE' && warning.names?.every((name) => name.startsWith('jsx-')) ? undefined : warn(warning)),
  plugins: [typescript({ tsconfig: './tsconfig.build.json', noEmitOnError: true }), minifyTemplates()],
};
