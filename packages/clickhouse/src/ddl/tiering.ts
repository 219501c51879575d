// Hot → warm after 90 days → cold (S3) after a year (US-ANLYT-11 AC2). Needs a storage policy
// with those volumes in the server's config (the Helm chart's job) and TTL moves, which the
// Debian 18.16 server used locally and in CI does not have (no TTL at all, no storage
// policies). So these statements sit behind a version gate: applied only by a server that
// supports them, skipped with a logged reason otherwise — and not recorded as applied, so
// the first migrate after an upgrade applies them.
import { onCluster, qualified, type Topology } from './topology.js';

/** The policy's name in the server config: volumes `hot`, `warm`, `cold` (S3 disk). */
export const TIERED_POLICY = 'anlyt_tiered';
/** TTL moves and MODIFY SETTING storage_policy are solid from the 21.8 LTS on. */
export const TIERING_MIN_VERSION = { major: 21, minor: 8 } as const;

export function tieringStatements(t: Topology, tables: readonly string[]): string[] {
  return tables.flatMap((table) => [
    `ALTER TABLE ${qualified(t, table)}${onCluster(t)} MODIFY SETTING storage_policy = '${TIERED_POLICY}'`,
    `ALTER TABLE ${qualified(t, table)}${onCluster(t)} MODIFY TTL` +
      ` hour + INTERVAL 90 DAY TO VOLUME 'warm', hour + INTERVAL 365 DAY TO VOLUME 'cold'`,
  ]);
}
