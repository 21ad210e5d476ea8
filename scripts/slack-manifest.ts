import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import { slackManifest } from "./slack-app-manifest.ts";

// npm run slack:manifest
//   rewrites adapters/slack/manifest.json from the command registry (placeholder address)
// npm run --silent slack:manifest -- --url https://bot.example.gov.vn
//   prints the manifest for the bot's real address, to paste into "Create New App → From a manifest"

const at = process.argv.indexOf("--url");
const url = at === -1 ? undefined : process.argv[at + 1];
if (at !== -1 && (!url || !/^https?:\/\/\S+$/.test(url))) {
  process.stderr.write("--url needs the bot's public address, e.g. https://bot.example.gov.vn\n");
  process.exit(2);
}
const path = fileURLToPath(new URL("../adapters/slack/manifest.json", import.meta.url));
// Formatted like every other file, so `npm run lint` accepts the generated one.
const text = await format(JSON.stringify(slackManifest(url)), { ...(await resolveConfig(path)), parser: "json" });
if (url) process.stdout.write(text);
else {
  writeFileSync(path, text);
  process.stderr.write(`${path}\n`);
}
