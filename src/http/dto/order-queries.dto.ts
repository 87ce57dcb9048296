import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional } from 'class-validator';
import {
  ACQUIRERS,
  CAPTURE_STATES,
  type Acquirer,
  type CaptureStateName,
} from '../../capture/machine/capture-types';
import { IsDateTime, IsExternalId, IsIntegerText, IsListOf, IsOneOf, IsText } from './rules';

/** GET /orders?merchantOrderId=&paymentId=&acquirer= */
export class OrderLookupQuery {
  @ApiPropertyOptional({ description: 'The most recent registration with this merchant order id' })
  @IsOptional()
  @IsExternalId()
  merchantOrderId?: string;

  @ApiPropertyOptional({ description: "The acquirer's payment id" })
  @IsOptional()
  @IsExternalId()
  paymentId?: string;

  @ApiPropertyOptional({ enum: ACQUIRERS })
  @IsOptional()
  @IsOneOf(ACQUIRERS)
  acquirer?: Acquirer;
}

const list = ({ value }: { value: unknown }) =>
  (Array.isArray(value) ? value : [value]).flatMap((v) =>
    String(v)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );

/** GET /admin/orders: filters, newest first, keyset pagination. */
export class ListOrdersQuery {
  @ApiPropertyOptional({
    description: `One or more states, comma-separated: ${CAPTURE_STATES.join(', ')}`,
    example: 'captureFailed,autoCancelled',
  })
  @IsOptional()
  @Transform(list)
  @IsListOf(CAPTURE_STATES)
  state?: CaptureStateName[];

  @ApiPropertyOptional({ enum: ACQUIRERS })
  @IsOptional()
  @IsOneOf(ACQUIRERS)
  acquirer?: Acquirer;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: only orders under review; false: none under review',
  })
  @IsOptional()
  @IsOneOf(['true', 'false'])
  review?: 'true' | 'false';

  @ApiPropertyOptional({ format: 'date-time', description: 'Capture deadline strictly before this time' })
  @IsOptional()
  @IsDateTime()
  deadlineBefore?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Capture deadline at or after this time' })
  @IsOptional()
  @IsDateTime()
  deadlineAfter?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Registered at or after this time' })
  @IsOptional()
  @IsDateTime()
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Registered strictly before this time' })
  @IsOptional()
  @IsDateTime()
  createdTo?: string;

  @ApiPropertyOptional({ description: 'Exactly this merchantOrderId or paymentId', example: 'SO-1' })
  @IsOptional()
  @IsExternalId()
  search?: string;

  @ApiPropertyOptional({ description: 'Page size, 1 to 200 (default 50)', example: '50' })
  @IsOptional()
  @IsIntegerText(1, 200)
  limit?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsText(1, 200)
  cursor?: string;
}
