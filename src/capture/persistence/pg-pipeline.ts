/**
 * Pipelining on a PostgreSQL connection while a UnitOfWork transaction holds it. On the
 * notification path each round trip costs the service more CPU (a socket write, a wake-up, a
 * read) than the statement costs the server, so the transaction sends what it can without
 * waiting: BEGIN with the first statements, the last writes with COMMIT. The server still runs
 * the statements one after another, in the order sent; a failed one aborts the transaction
 * and every later one fails with it, so nothing after a failure can commit.
 */
import type { QueryRunner } from 'typeorm';

type Row = Record<string, unknown>;

/** The parts of node-postgres's client used here (pipeline mode: pg >= 8.16). */
export interface PgClient {
  pipeline: boolean;
  connection: { stream: { cork(): void; uncork(): void } };
  query(sql: string): Promise<unknown>;
  query(config: { name: string; text: string; values: unknown[] }): Promise<{
    rows: Row[];
    rowCount: number | null;
  }>;
}

const corked = new WeakSet<PgClient>();

/**
 * Everything this turn of the event loop sends on a pipelined client goes out in one write:
 * the stream is corked until the event loop's check phase, after every pending promise
 * continuation has had its turn to add a statement.
 */
export function corkForThisTurn(client: PgClient): void {
  if (!client.pipeline || corked.has(client)) return;
  corked.add(client);
  const { stream } = client.connection;
  stream.cork();
  setImmediate(() => {
    corked.delete(client);
    stream.uncork();
  });
}

/** The connection a query runner already holds, without a wait when it has one. */
export function heldClient(runner: QueryRunner): PgClient | undefined {
  return (runner as unknown as { databaseConnection?: PgClient }).databaseConnection;
}

/** Sends `sql` now (in this turn's write when pipelined); the promise is already handled. */
export function sendNow(client: PgClient, sql: string): Promise<unknown> {
  corkForThisTurn(client);
  const sent = client.query(sql);
  // Awaited later by the transaction; handled now so a failure meanwhile is not "unhandled".
  sent.catch(() => undefined);
  return sent;
}
