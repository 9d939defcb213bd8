import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more workers only fight over them (PGlite and index builds are CPU-bound).
    maxWorkers: 2,
  },
});
