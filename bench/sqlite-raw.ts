/**
 * The ceiling for ingestion on SQLite: a bare better-sqlite3 loop (WAL, synchronous=NORMAL, one
 * process, prepared statements) running the statements the service runs per notification, in
 * one transaction each: insert the notification (the dedupe check), read the order, update it,
 * insert the transition, resolve the attempt, insert the outbox event, set the notification's
 * outcome. No HTTP, no signature, no ORM: what the database alone allows.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';

export interface SqliteRawResult {
  perSecond: number;
  notifications: number;
  seconds: number;
}

export function benchSqliteRaw(file: string, seconds: number): SqliteRawResult {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const orders = db
      .prepare(
        'SELECT o.payment_id, a.capture_request_id FROM orders o JOIN capture_attempts a ON a.order_id = o.id',
      )
      .all() as { payment_id: string; capture_request_id: string }[];
    const s = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      notify: db.prepare(
        'INSERT INTO inbound_notifications (acquirer, notify_type, dedupe_key, payment_id, capture_request_id, ' +
          "order_id, outcome, detail, raw_body, received_at, processed_at) VALUES ('antom', 'CAPTURE_RESULT', ?, ?, " +
          "'CR', NULL, 'orphan', 'pending', ?, ?, NULL) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
      ),
      order: db.prepare("SELECT * FROM orders WHERE acquirer = 'antom' AND payment_id = ?"),
      updateOrder: db.prepare(
        'UPDATE orders SET snapshot = ?, state = ?, captured_amount = ?, capture_deadline = capture_deadline, ' +
          'authorized_at = authorized_at, review_reason = NULL, review_since = NULL, version = version + 1, ' +
          'updated_at = ?, next_check_at = NULL WHERE id = ?',
      ),
      transition: db.prepare(
        'INSERT INTO order_transitions (order_id, from_state, to_state, event_type, source, payload, at) ' +
          "VALUES (?, 'capturePending', 'captured', 'CAPTURE_SUCCEEDED', 'webhook:antom', ?, ?)",
      ),
      attempt: db.prepare(
        "UPDATE capture_attempts SET amount = '10000', status = 'succeeded', capture_id = ?, result_code = 'SUCCESS', " +
          'resolved_at = ?, next_inquiry_at = NULL, updated_at = ? WHERE capture_request_id = ? RETURNING created_at',
      ),
      outbox: db.prepare(
        'INSERT INTO outbox_events (event_id, order_id, type, payload, created_at, attempts, next_attempt_at) ' +
          "VALUES (?, ?, 'order.captured', ?, ?, 0, ?)",
      ),
      outcome: db.prepare(
        "UPDATE inbound_notifications SET order_id = ?, outcome = 'applied', detail = ?, processed_at = ? WHERE id = ?",
      ),
    };
    const body = JSON.stringify({ notifyType: 'CAPTURE_RESULT', padding: 'x'.repeat(300) });
    const started = performance.now();
    const until = started + seconds * 1000;
    let n = 0;
    while (performance.now() < until) {
      const o = orders[n % orders.length]!;
      const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
      s.begin.run();
      const row = s.notify.get(`raw:${randomUUID()}`, o.payment_id, body, now) as { id: number };
      const order = s.order.get(o.payment_id) as { id: string; snapshot: string };
      s.updateOrder.run(order.snapshot, 'captured', '10000', now, order.id);
      s.transition.run(
        order.id,
        '{"captureRequestId":"CR","amount":{"currency":"USD","value":"10000"}}',
        now,
      );
      s.attempt.all(`CAP-${n}`, now, now, o.capture_request_id);
      const eventId = randomUUID();
      s.outbox.run(eventId, order.id, JSON.stringify({ id: eventId, order: { id: order.id } }), now, now);
      s.outcome.run(order.id, 'capturePending -> captured', now, row.id);
      s.commit.run();
      n += 1;
    }
    const elapsed = (performance.now() - started) / 1000;
    return { perSecond: n / elapsed, notifications: n, seconds: elapsed };
  } finally {
    db.close();
  }
}
