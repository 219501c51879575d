/**
 * A TCP proxy in front of ClickHouse's HTTP port that can kill the ingest at the one moment
 * that matters: ClickHouse has written a facts INSERT and answered, the ingest has not seen
 * the answer, so it has not acked. When the Nth response to an INSERT into a facts table
 * comes back, the proxy runs `onInsertAcked` (the test SIGKILLs the process there) before it
 * forwards a byte of it. HTTP/1.1 keep-alive is sequential per connection, so a response
 * belongs to the last request line seen on its connection. The DLR and CDR pipelines insert
 * on their own connections at the same time, so once the Nth answer is held, nothing more
 * is forwarded or counted on any connection: the process dies knowing only N − 1 inserts.
 */
import net from 'node:net';

export interface KillProxy {
  url: string;
  /** Facts INSERT responses that came back so far. */
  insertsAcked(): number;
  close(): Promise<void>;
}

export async function startKillProxy(
  target: URL,
  killAt: number,
  onInsertAcked: () => Promise<void>,
): Promise<KillProxy> {
  let acked = 0;
  let killed = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    let lastRequestIsInsert = false;
    client.on('data', (chunk) => {
      // A request line names the query in its URL for INSERTs (the rows are the body).
      const text = chunk.subarray(0, 512).toString('latin1');
      if (/^(POST|GET) /.test(text))
        lastRequestIsInsert = /INSERT(%20|\+| )INTO(%20|\+| )\S*facts_(dlr|cdr)/i.test(
          text.split('\r\n')[0]!,
        );
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (killed) return;
      if (lastRequestIsInsert) {
        lastRequestIsInsert = false;
        acked++;
        if (acked === killAt) {
          killed = true; // this answer, and every later one, never reaches the ingest
          void onInsertAcked();
          return;
        }
      }
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    insertsAcked: () => acked,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
