/**
 * Queries and answers of /admin/insights: what the operator console's home page shows. Numbers
 * in query strings are validated as integer text, like every other admin filter.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { ACQUIRERS, CAPTURE_STATES } from '../../capture/machine/capture-types';
import type { Acquirer, CaptureStateName } from '../../capture/machine/capture-types';
import { IsIntegerText } from './rules';
import { AttemptView, OrderView } from './views.dto';

export class LapsingQuery {
  @ApiPropertyOptional({ description: 'Deadline within this many hours, 1 to 168 (default 24)' })
  @IsOptional()
  @IsIntegerText(1, 168)
  withinHours?: string;

  @ApiPropertyOptional({ description: 'At most this many orders, 1 to 200 (default 50)' })
  @IsOptional()
  @IsIntegerText(1, 200)
  limit?: string;
}

export class PendingAttemptsQuery {
  @ApiPropertyOptional({ description: 'Pending for at least this many seconds, 0 to 604800 (default 300)' })
  @IsOptional()
  @IsIntegerText(0, 604800)
  olderThanSeconds?: string;

  @ApiPropertyOptional({ description: 'At most this many attempts, 1 to 200 (default 50)' })
  @IsOptional()
  @IsIntegerText(1, 200)
  limit?: string;
}

export class DeadlineCliffQuery {
  @ApiPropertyOptional({ description: 'Hours ahead, 1 to 336 (default 168: seven days)' })
  @IsOptional()
  @IsIntegerText(1, 336)
  hours?: string;
}

export class CaptureTimesQuery {
  @ApiPropertyOptional({ description: 'Attempts resolved in the last this many days, 1 to 90 (default 7)' })
  @IsOptional()
  @IsIntegerText(1, 90)
  days?: string;
}

export class LapsingView {
  @ApiProperty({ type: [OrderView], description: 'Soonest deadline first' }) items!: OrderView[];
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class PendingOrderView {
  @ApiProperty() id!: string;
  @ApiProperty() merchantOrderId!: string;
  @ApiProperty({ enum: ACQUIRERS }) acquirer!: Acquirer;
  @ApiProperty({ enum: CAPTURE_STATES }) state!: CaptureStateName;
  @ApiProperty({ format: 'date-time' }) captureDeadline!: string;
}

export class PendingAttemptItemView {
  @ApiProperty({ type: PendingOrderView }) order!: PendingOrderView;
  @ApiProperty({ type: AttemptView }) attempt!: AttemptView;
}

export class PendingAttemptListView {
  @ApiProperty({ type: [PendingAttemptItemView], description: 'Oldest first' })
  items!: PendingAttemptItemView[];
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class CliffHourView {
  @ApiProperty({ format: 'date-time', description: 'Deadlines after this time...' }) start!: string;
  @ApiProperty({ format: 'date-time', description: '...and at or before this one' }) end!: string;
  @ApiProperty() count!: number;
}

export class DeadlineCliffView {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ type: [CliffHourView], description: 'Open authorizations lapsing, hour by hour' })
  hours!: CliffHourView[];
}

export class CaptureTimeBucketView {
  @ApiProperty({ type: Number, nullable: true, description: 'Upper bound in ms; null: no bound' })
  upToMs!: number | null;
  @ApiProperty() count!: number;
}

export class CaptureTimesView {
  @ApiProperty({ format: 'date-time' }) since!: string;
  @ApiProperty({ description: 'Captures we sent that reached a result since then' }) count!: number;
  @ApiProperty({ type: [CaptureTimeBucketView] }) buckets!: CaptureTimeBucketView[];
  @ApiProperty({ type: Number, nullable: true }) p50Ms!: number | null;
  @ApiProperty({ type: Number, nullable: true }) p90Ms!: number | null;
  @ApiProperty({ type: Number, nullable: true }) maxMs!: number | null;
}
