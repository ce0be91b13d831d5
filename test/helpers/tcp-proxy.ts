/**
 * A TCP proxy in front of a real service (Postgres, Redis) so a test can take that service away from
 * one app without stopping the shared server other suites use: cut() destroys every connection and
 * refuses new ones (like a crashed server); restore() accepts again (like its return).
 */
import net from 'node:net';
import { afterAll } from 'vitest';

export interface TcpProxy {
  /** host:port the app should connect to. */
  readonly port: number;
  /** The target URL with its host and port swapped for the proxy's. */
  url(target: string): string;
  cut(): void;
  restore(): void;
  readonly isCut: boolean;
  /** Connections currently open through the proxy. */
  readonly connections: number;
  close(): Promise<void>;
}

const proxies = new Set<TcpProxy>();
afterAll(async () => {
  for (const p of proxies) await p.close();
});

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let cut = false;
  const server = net.createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  const proxy: TcpProxy = {
    port,
    url(targetUrl) {
      const u = new URL(targetUrl);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    cut() {
      cut = true;
      for (const s of open) s.destroy();
      open.clear();
    },
    restore() {
      cut = false;
    },
    get isCut() {
      return cut;
    },
    get connections() {
      return open.size / 2;
    },
    async close() {
      proxies.delete(proxy);
      proxy.cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  proxies.add(proxy);
  return proxy;
}

/** host/port of a redis:// or postgres:// URL. */
export function targetOf(url: string, defaultPort: number): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname || '127.0.0.1', port: u.port ? Number(u.port) : defaultPort };
}
