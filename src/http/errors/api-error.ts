import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FieldError } from '../../capture/field-rules';

/** The one error shape of the merchant and admin API (the public contract, docs/architecture.md). */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: FieldError[];
}

export function errorBody(statusCode: number, message: string, details?: FieldError[]): ApiErrorBody {
  return {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    ...(details && details.length > 0 ? { details } : {}),
  };
}

/** An HttpException whose response is already in the API's shape. */
export class ApiException extends HttpException {
  constructor(statusCode: number, message: string, details?: FieldError[]) {
    super(errorBody(statusCode, message, details), statusCode);
  }
}

export const badRequest = (message: string, details?: FieldError[]) =>
  new ApiException(400, message, details);
export const notFound = (message: string) => new ApiException(404, message);
export const conflict = (message: string, details?: FieldError[]) => new ApiException(409, message, details);

/** "validation failed: amount.value, captureMode" — the fields, once each, in order. */
export function validationMessage(details: FieldError[]): string {
  const fields = [...new Set(details.map((d) => d.field))];
  return `validation failed: ${fields.join(', ')}`;
}
