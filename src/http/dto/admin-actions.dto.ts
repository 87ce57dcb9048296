import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsMinorUnits, IsStrictBoolean, IsText } from './rules';

/** POST /admin/orders/:id/capture */
export class CaptureOrderDto {
  @ApiPropertyOptional({
    example: '5000',
    pattern: '^[1-9][0-9]*$',
    description: 'Minor units, in the order currency (default: everything not captured yet)',
  })
  @IsOptional()
  @IsMinorUnits()
  amount?: string;

  @ApiPropertyOptional({
    description: 'Multi-capture: the last capture; the rest of the authorization is released',
  })
  @IsOptional()
  @IsStrictBoolean()
  isLast?: boolean;
}

/** POST /admin/orders/:id/cancel */
export class CancelOrderDto {
  @ApiPropertyOptional({ maxLength: 256, example: 'customer cancelled before shipping' })
  @IsOptional()
  @IsText(0, 256)
  reason?: string;
}

/** POST /admin/orders/:id/review/resolve */
export class ResolveReviewDto {
  @ApiProperty({ maxLength: 1000, example: 'checked with the acquirer: captured once, ship it' })
  @IsText(1, 1000)
  note!: string;
}

/** POST /admin/orders/:id/attempts/:captureRequestId/resend and .../abandon */
export class AttemptActionDto {
  @ApiProperty({
    maxLength: 1000,
    example: 'no answer since the timeout; PayerMax support asked to check',
    description: 'Why; kept in the transition history',
  })
  @IsText(1, 1000)
  note!: string;
}
