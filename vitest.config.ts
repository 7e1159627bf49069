import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Test files share each worker's module cache: the library and the synthesized environments load
    // once per worker instead of once per file (59 s → 24 s on 2 cores). Safe because no test mocks
    // modules or writes process.env, spies are restored, and the suite passes in shuffled orders.
    isolate: false,
    // Synthesizing every environment takes a few seconds on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
