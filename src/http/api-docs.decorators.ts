import { applyDecorators, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminTokenGuard } from './auth/admin-token.guard';
import { JsonBodyGuard } from './auth/json-body.guard';
import { ErrorView } from './dto/views.dto';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { ApiValidationPipe } from './validation.pipe';

const WHY: Record<number, string> = {
  400: 'Invalid input: every offending field is named in details',
  404: 'No such order',
  409: 'Refused: the message carries the reason',
  415: 'The body is not JSON',
};

/** Error responses of one route, in the API's error shape. */
export function ApiErrors(...codes: number[]): MethodDecorator {
  return applyDecorators(
    ...codes.map((status) => ApiResponse({ status, description: WHY[status], type: ErrorView })),
  );
}

/**
 * What every merchant and admin controller shares: the bearer token, JSON bodies, DTO
 * validation and the error shape. Scoped to these controllers (not global) so a host app that
 * embeds the module gets the same behaviour, and the webhooks keep their acquirer-format answers.
 */
export function BearerApi(): ClassDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or wrong bearer token', type: ErrorView }),
    UseFilters(new ApiExceptionFilter()),
    UseGuards(AdminTokenGuard, JsonBodyGuard),
    UsePipes(new ApiValidationPipe()),
  );
}
