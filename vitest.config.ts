import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    // Several tests spawn the CLI or replay an hour of the incident; on a busy
    // 2-core machine the default 5 s is too tight. Speed is measured by `npm run bench`.
    testTimeout: 30_000,
  },
});
