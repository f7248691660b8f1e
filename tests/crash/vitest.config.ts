import { defineConfig } from 'vitest/config'

// The crash test spawns and kills processes for a while: it runs on its own,
// `npx vitest run -c tests/crash/vitest.config.ts`, or from the benchmark.
export default defineConfig({
  test: {
    name: 'crash',
    root: __dirname,
    environment: 'node',
    include: ['**/*.test.ts'],
    testTimeout: 120_000,
  },
})
