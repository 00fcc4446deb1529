/**
 * @module The entry of the standalone `fixpoint-campaign.mjs` the agent writes into each run directory (build.mjs,
 * exec/assets.ts): run directly, as `node fixpoint-campaign.mjs [campaign] ID …`.
 */
import { main } from './campaign-cli';

const argv = process.argv.slice(2);
void main(argv[0] === 'campaign' ? argv.slice(1) : argv, process.env).then((code) => {
  process.exitCode = code;
});
