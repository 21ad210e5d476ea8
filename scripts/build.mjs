// Bundles the bot into dist/ (main.mjs and a chunk per platform adapter, loaded only when that
// platform is configured) for `npm start` and for a service that runs `node dist/main.mjs`.
// Running from plain JavaScript spares the process tsx's loader thread (about 30 MB of resident
// memory the whole time the bot runs); development, tests and the CLI keep running the TypeScript
// directly. scripts/bundle.mjs says how a build is put in place while other processes run.
import { bundle } from "./bundle.mjs";

bundle();
