// PGlite (real PostgreSQL compiled to WebAssembly, with pgvector) on the PostgreSQL wire protocol, for tests.
// Usage: node server.mjs PORT [MAX_CONNECTIONS]
// Listens on 127.0.0.1 only, keeps the database in memory, prints one ready line once clients can connect, and
// stops on SIGTERM, SIGINT or when stdin closes (the test fixture that started it went away).
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const port = Number.parseInt(process.argv[2] ?? '', 10);
const maxConnections = Number.parseInt(process.argv[3] ?? '8', 10);
if (!Number.isInteger(port) || port < 1 || port > 65535 || !Number.isInteger(maxConnections) || maxConnections < 1) {
  console.error('usage: node server.mjs PORT [MAX_CONNECTIONS]');
  process.exit(2);
}

const db = await PGlite.create({ extensions: { vector } });
const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections });
await server.start();
console.log(`PGlite ready on 127.0.0.1:${port} (max ${maxConnections} connections)`);

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  try {
    await server.stop();
    await db.close();
  } finally {
    process.exit(code);
  }
}

process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));
process.stdin.on('end', () => stop(0));
process.stdin.on('error', () => stop(0));
process.stdin.resume();
