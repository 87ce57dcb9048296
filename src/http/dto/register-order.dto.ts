import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';
import {
  ACQUIRERS,
  CAPTURE_MODES,
  type Acquirer,
  type CaptureMode,
} from '../../capture/machine/capture-types';
import type { RegisterOrderInput } from '../../capture/registration';
import {
  IsAuthorizationTime,
  IsCurrency,
  IsExternalId,
  IsJsonObject,
  IsMinorUnits,
  IsOneOf,
  IsStoredDateTime,
  IsStrictBoolean,
} from './rules';

export class MoneyDto {
  @ApiProperty({ example: 'USD', pattern: '^[A-Z]{3}$', description: 'ISO 4217 currency code' })
  @IsCurrency()
  currency!: string;

  @ApiProperty({
    example: '10000',
    pattern: '^[1-9][0-9]*$',
    description: 'Integer minor units as a string (USD 100.00 is "10000")',
  })
  @IsMinorUnits()
  value!: string;
}

/** POST /orders: an authorized payment to keep track of. */
export class RegisterOrderDto {
  @ApiProperty({ example: 'SO-2026-0001', maxLength: 64 })
  @IsExternalId()
  merchantOrderId!: string;

  @ApiProperty({ enum: ACQUIRERS })
  @IsOneOf(ACQUIRERS)
  acquirer!: Acquirer;

  @ApiProperty({
    example: '202601311900000000000001',
    maxLength: 64,
    description: "The acquirer's payment id (PayerMax: the outTradeNo)",
  })
  @IsExternalId()
  paymentId!: string;

  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsExternalId()
  paymentRequestId?: string;

  @ApiProperty({ type: MoneyDto, description: 'The authorized amount' })
  @IsJsonObject()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount!: MoneyDto;

  @ApiProperty({ enum: CAPTURE_MODES })
  @IsOneOf(CAPTURE_MODES)
  captureMode!: CaptureMode;

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'When the payment was authorized (default: now); the capture deadline counts from it. ' +
      'From 2000-01-01 to 5 minutes ahead of the service clock',
  })
  @IsOptional()
  @IsAuthorizationTime()
  authorizedAt?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'MANUAL orders: capture at this time' })
  @IsOptional()
  @IsStoredDateTime()
  captureAt?: string;

  @ApiPropertyOptional({ description: 'Antom: the payment method allows several partial captures' })
  @IsOptional()
  @IsStrictBoolean()
  multiCapture?: boolean;

  @ApiPropertyOptional({ description: 'The method captures exactly the authorized amount (e.g. US cards)' })
  @IsOptional()
  @IsStrictBoolean()
  fullCaptureOnly?: boolean;

  static toInput(dto: RegisterOrderDto): RegisterOrderInput {
    return {
      merchantOrderId: dto.merchantOrderId,
      acquirer: dto.acquirer,
      paymentId: dto.paymentId,
      paymentRequestId: dto.paymentRequestId,
      amount: { currency: dto.amount.currency, value: dto.amount.value },
      captureMode: dto.captureMode,
      authorizedAt: dto.authorizedAt,
      captureAt: dto.captureAt,
      multiCapture: dto.multiCapture,
      fullCaptureOnly: dto.fullCaptureOnly,
    };
  }
}
