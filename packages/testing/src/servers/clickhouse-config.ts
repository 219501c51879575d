/**
 * The config.xml and users.xml of a private clickhouse-server (18.16: root element <yandex>).
 * Everything the server writes lives under the server's own temp dir, and it listens on
 * 127.0.0.1 only, on the ports the caller chose.
 */
import type { ClickHouseServerOptions } from './clickhouse-server.js';

// A SIGKILLed replica's is_active node lives until its session expires; 18.16 retries the
// activation of a restarted replica a fixed 10 s after a refused one, so 5 s lets it rejoin
// on that first retry. (ZooKeeper's tickTime of 500 ms allows sessions of 1–10 s.)
const ZK_SESSION_TIMEOUT_MS = 5_000;

const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function tag(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a valid XML name: ${name}`);
  return name;
}

export function configXml(
  base: string,
  ports: Required<ClickHouseServerOptions>['ports'],
  o: ClickHouseServerOptions,
): string {
  const data = `${base}/data/`;
  const parts = [
    `<logger><level>debug</level><log>${xml(base)}/clickhouse-server.log</log>`,
    `<errorlog>${xml(base)}/clickhouse-server.err.log</errorlog><size>100M</size><count>1</count></logger>`,
    '<listen_host>127.0.0.1</listen_host>',
    `<http_port>${ports.http}</http_port><tcp_port>${ports.tcp}</tcp_port>`,
    `<interserver_http_port>${ports.interserver}</interserver_http_port>`,
    // Replicas fetch parts from the address another replica announces: by default the FQDN.
    '<interserver_http_host>127.0.0.1</interserver_http_host>',
    `<path>${xml(data)}</path><tmp_path>${xml(data)}tmp/</tmp_path>`,
    `<user_files_path>${xml(data)}user_files/</user_files_path>`,
    `<format_schema_path>${xml(data)}format_schemas/</format_schema_path>`,
    '<users_config>users.xml</users_config>',
    '<default_profile>default</default_profile><default_database>default</default_database>',
    '<timezone>UTC</timezone>',
    // The package defaults (8 GiB + 5 GiB) are sized for a dedicated host; several of these share 2 cores.
    '<mark_cache_size>268435456</mark_cache_size><uncompressed_cache_size>268435456</uncompressed_cache_size>',
    '<max_concurrent_queries>100</max_concurrent_queries>',
  ];
  if (o.zookeeper !== undefined) {
    parts.push(
      `<zookeeper><node><host>${xml(o.zookeeper.host)}</host><port>${o.zookeeper.port}</port></node>`,
      `<session_timeout_ms>${ZK_SESSION_TIMEOUT_MS}</session_timeout_ms></zookeeper>`,
      '<distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>',
      // A replica SIGKILLed during an insert restarts with that part on disk but never
      // committed to ZooKeeper (the insert failed, its writer retries). Above this share of
      // such rows (default 0.5: easily reached by a small cube table) 18.16 refuses to start
      // at all; at 1 it starts and detaches them. Production needs the same (docs/runbooks).
      '<merge_tree><replicated_max_ratio_of_wrong_parts>1</replicated_max_ratio_of_wrong_parts></merge_tree>',
    );
  }
  if (o.cluster !== undefined) {
    const replicas = o.cluster.replicas
      .map((r) => `<replica><host>${xml(r.host)}</host><port>${r.tcpPort}</port></replica>`)
      .join('');
    const name = tag(o.cluster.name);
    parts.push(
      `<remote_servers><${name}><shard><internal_replication>true</internal_replication>${replicas}</shard></${name}></remote_servers>`,
    );
  }
  if (o.macros !== undefined) {
    const m = Object.entries(o.macros).map(([k, v]) => `<${tag(k)}>${xml(v)}</${k}>`);
    parts.push(`<macros>${m.join('')}</macros>`);
  }
  return `<?xml version="1.0"?>\n<yandex>\n  ${parts.join('\n  ')}\n</yandex>\n`;
}

export const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default></default></quotas>
</yandex>
`;
