import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { compilerOptions } from './compiler-options.js';

// `agent-*` tags are custom elements: Vue creates them as they are.
export default defineConfig({
  plugins: [vue({ template: { compilerOptions } })],
});
