export default {
  globs: ['src/components/**/*.component.ts'],
  outdir: '.',
  litelement: true,
};
