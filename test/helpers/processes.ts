import { join } from "node:path";

/** The project folder, the working directory of every process a test starts. */
export const root = new URL("../..", import.meta.url).pathname;

/** Runs the TypeScript entry points the way `npm start` and `npm run cli` do. */
export const tsx = join(root, "node_modules/.bin/tsx");

/**
 * The time limit of a test that starts a process (tsx, Prisma's CLI, a lock holder). Such a test
 * takes up to about 5 s on a 2-core machine already busy with another run of the suite; this
 * leaves room for one running at a quarter of that speed, and then some, so CI stays green.
 */
export const PROCESS_TEST_TIMEOUT = 120_000;
