// The publish-and-install test (a local verdaccio proxying the npm registry) runs on demand with
// `pnpm --filter @tuskdb/release-check run test:registry`: in CI runs its npm uplink failed
// intermittently, so it is kept out of the default suite until that is understood.
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    exclude: process.env.TUSK_REGISTRY_TEST
      ? configDefaults.exclude
      : [...configDefaults.exclude, 'src/registry.test.ts'],
  },
});
