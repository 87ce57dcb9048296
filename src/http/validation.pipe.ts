import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import type { FieldError } from '../capture/field-rules';
import { badRequest, validationMessage } from './errors/api-error';

/**
 * class-validator DTOs, every offending field named once with the rule it broke:
 * `{ field: 'amount.value', rule: 'must be a positive integer string in minor units' }`.
 * Unknown fields are refused (a misspelt `captureAt` must not be ignored silently).
 */
export class ApiValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      stopAtFirstError: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors: ValidationError[]) => {
        const details = flattenValidationErrors(errors);
        return badRequest(validationMessage(details), details);
      },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && isDto(metadata.metatype)) {
      // An action without a body (POST .../cancel) validates as an empty object.
      if (value === undefined || value === null || value === '') value = {};
      if (typeof value !== 'object' || Array.isArray(value)) {
        const details = [{ field: 'body', rule: 'must be a JSON object' }];
        throw badRequest(validationMessage(details), details);
      }
    }
    return super.transform(value, metadata);
  }
}

function isDto(metatype: unknown): boolean {
  return ![String, Boolean, Number, Array, Object].includes(metatype as never);
}

function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const [name, message] of Object.entries(error.constraints ?? {})) {
      out.push({ field, rule: name === 'whitelistValidation' ? 'is not a known field' : message });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}
