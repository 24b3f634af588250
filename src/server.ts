// `npm start`: opens the store (embedded PGlite in ./.data, or PostgreSQL via DATABASE_URL), migrates,
// seeds the demo on first start, serves GraphQL + GraphiQL, and shuts down cleanly on SIGTERM/SIGINT.
// A PGlite folder is only safe if the database is closed before the process ends, so every way out
// (signal during start-up or while serving, a port already in use, a start-up error) goes through
// db.close().
import { createServer, type Server } from 'node:http';
import { ANALYST } from './context.js';
import { DEFAULT_LIMITS } from './core/access/limits.js';
import { type Database, openDatabase, statementTimeoutFromEnv } from './db.js';
import { enabledServices } from './schema.js';
import { isSeeded, seedDemoIfEmpty } from './seed-demo.js';

/** Seconds since the process started: includes loading the code, which is most of a warm start. */
const uptime = () => `${process.uptime().toFixed(1)} s`;

let db: Database | undefined;
let server: Server | undefined;
let stopping: string | undefined;
let stoppingSince = 0;

async function shutdown(code: number): Promise<never> {
  const timer = setTimeout(() => {
    console.error('Shutdown timed out after 10 s; closing open connections');
    server?.closeAllConnections();
  }, 10_000);
  timer.unref();
  if (server?.listening) {
    const closed = new Promise<void>((resolve) => server?.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
  }
  try {
    await db?.close();
    if (db) console.log('Database closed cleanly.');
  } catch (e) {
    console.error('Error closing the database:', e);
    code = code || 1;
  }
  process.exit(code);
}

function onSignal(signal: NodeJS.Signals) {
  if (stopping) {
    // Ctrl-C reaches npm, tsx and this process at once, and both relay it: a repeat within seconds is the
    // same keypress. A later one is the user insisting.
    if (Date.now() - stoppingSince < 3_000) return;
    console.error(`${signal} again: exiting without waiting (the database may need recovery on next start)`);
    process.exit(130);
  }
  stopping = signal;
  stoppingSince = Date.now();
  if (!server) {
    // Still migrating or seeding: both run in transactions, so wait for the step, then close.
    console.log(`${signal}: stopping once the current start-up step ends`);
    return;
  }
  console.log(`${signal}: closing`);
  void shutdown(0);
}

async function main() {
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const port = Number(process.env.PORT ?? 4000);
  const services = enabledServices();
  const embedded = !process.env.DATABASE_URL || process.env.DATABASE_URL.startsWith('pglite:');
  // The embedded store gives every request analyst access: keep it on this machine unless HOST says so.
  const host = process.env.HOST ?? (embedded ? '127.0.0.1' : '0.0.0.0');
  // Load the HTTP stack (about a second of module loading) while PGlite compiles its WASM and opens.
  const appModule = import('./app.js');
  appModule.catch(() => {}); // surfaced by the await below, not as an unhandled rejection
  db = await openDatabase({
    migrate: true,
    owner: `cype server (port ${port})`,
    // No statement of a request holds a pooled connection past the execution time limit (PostgreSQL).
    statementTimeoutMs: statementTimeoutFromEnv(DEFAULT_LIMITS.executionTimeoutMs),
  });
  if (stopping) return shutdown(0);
  if (embedded || process.env.CYPE_SEED_DEMO === 'on') {
    const seedStart = Date.now();
    if (await seedDemoIfEmpty(db, services, (m) => console.log(m))) {
      console.log(`Seeded demo data in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
    } else {
      console.log(`Demo data already present in ${db.where}; not re-seeding.`);
    }
  } else if (!(await isSeeded(db))) {
    console.log('No demo data (set CYPE_SEED_DEMO=on to seed it on PostgreSQL).');
  }
  if (stopping) return shutdown(0);

  const { createApp } = await appModule;
  const app = createApp({
    db,
    services,
    defaultViewer: embedded ? ANALYST : undefined,
    graphiqlTitle: embedded ? 'CYPE Graph — embedded demo: every request has analyst access' : 'CYPE Graph',
  });
  const http = createServer(app);
  server = http;
  http.on('error', (e) => {
    console.error(`Cannot serve on ${host}:${port}: ${e.message}`);
    server = undefined;
    void shutdown(1);
  });
  http.listen(port, host, () => {
    const names = services.map((s) => s.slug).join(', ') || 'none';
    console.log(`CYPE Graph (pid ${process.pid}) on ${db?.where}, services: ${names}`);
    if (embedded) {
      console.log(
        `WARNING: embedded demo mode: requests without credentials get analyst access (listening on ${host}).`,
      );
    }
    console.log(`GraphiQL at http://localhost:${port}/graphql (ready ${uptime()} after process start)`);
  });
}

main().catch(async (e) => {
  console.error(e instanceof Error ? e.message : e);
  await shutdown(1);
});
