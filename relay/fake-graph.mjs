export * from './dist/fake-graph.js';
