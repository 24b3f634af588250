import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Pothos loads graphql's CommonJS build and Vite the ESM one ("another module or realm"): use one.
    alias: { graphql: 'graphql/index.js' },
  },
  test: {
    include: ['test/**/*.test.ts', 'services/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each test file opens its own database; two at a time suits a 2-core machine.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
