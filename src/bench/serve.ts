// The HTTP server the benchmark's throughput runs hit, in its own process (the load generator gets the
// other core): `tsx src/bench/serve.ts app <database-url-or-pglite-folder>` serves the real app with
// analyst access and no rate limit; `tsx src/bench/serve.ts hello` serves a bare Yoga hello world.
// Prints `listening <port>` on stdout once ready; stops on SIGTERM.
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';
import { BENCH_LIMITS } from './operations.js';

async function main() {
  const [mode, where] = process.argv.slice(2);
  let handler: Parameters<typeof createServer>[1];
  let close = async () => {};
  if (mode === 'hello') {
    handler = createYoga({
      schema: createSchema({
        typeDefs: 'type Query { hello: String! }',
        resolvers: { Query: { hello: () => 'world' } },
      }),
      landingPage: false,
      graphiql: false,
      logging: false,
    });
  } else if (mode === 'app' && where) {
    const { openDatabase } = await import('../db.js');
    const { createApp } = await import('../app.js');
    const { ANALYST } = await import('../context.js');
    const db = where.startsWith('postgres')
      ? await openDatabase({ url: where, owner: 'cype bench server' })
      : await openDatabase({ dataDir: where, owner: 'cype bench server' });
    handler = createApp({
      db,
      defaultViewer: ANALYST,
      access: { limits: BENCH_LIMITS, redisUrl: null },
    });
    close = () => db.close();
  } else {
    throw new Error('usage: serve.ts hello | app <postgresql-url | pglite-folder>');
  }
  // Requests still being answered when the load generator stops finish before the database closes.
  let inFlight = 0;
  let drained = () => {};
  const server = createServer((req, res) => {
    inFlight++;
    Promise.resolve(handler(req, res)).finally(() => {
      if (--inFlight === 0) drained();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
  });
  process.on('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    const idle = inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (drained = resolve));
    idle.then(close).finally(() => process.exit(0));
  });
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
