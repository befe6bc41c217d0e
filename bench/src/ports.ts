import { createServer } from 'node:net';

/** Ports of the developer's own system (`npm start`) and Redis: the bench never takes them. */
export const RESERVED_PORTS: ReadonlySet<number> = new Set([3002, 3003, 6379, 8001, 8002, 8003]);

/** A TCP port on 127.0.0.1 that is free right now (the kernel picks it). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    if (port && !RESERVED_PORTS.has(port)) return port;
  }
}

/** n distinct free ports. */
export async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}
