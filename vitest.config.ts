import { defineConfig } from 'vitest/config';

// Temporal's native core bridge misbehaves under worker threads, and the
// integration tests share one dev server port range: run files one at a time
// in forked processes (sdk-typescript #876, vitest #2065).
export default defineConfig({
  test: {
    pool: 'forks',
    fileParallelism: false,
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
