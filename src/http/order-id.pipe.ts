import { Injectable, Optional, type PipeTransform } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { annotateLogContext } from '../observability/log-context';
import { notFound } from './errors/api-error';

/**
 * Order ids are UUIDs this service generated (varchar(36)). A value that cannot be one is an
 * order that does not exist: 404 without asking the database, which matters because PostgreSQL
 * refuses a NUL byte in a parameter (a 500 otherwise) where SQLite just finds nothing.
 */
const ORDER_ID = /^[\x21-\x7e]{1,36}$/;

@Injectable()
export class OrderIdPipe implements PipeTransform<unknown, string> {
  constructor(@Optional() private readonly log?: PinoLogger) {}

  transform(value: unknown): string {
    if (typeof value !== 'string' || !ORDER_ID.test(value)) throw notFound('order not found');
    // Every line of a request about one order carries its id, the completion line included.
    annotateLogContext(this.log, { orderId: value });
    return value;
  }
}
