import { fileURLToPath } from 'node:url';

/** The repository root (where `pnpm-workspace.yaml` is). */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The built demo's entry point (`pnpm exec turbo run build --filter=@fw0/demo...` writes it). */
export const BUILT_DEMO_MAIN = fileURLToPath(new URL('../../../demo/dist/main.js', import.meta.url));
