import { Injectable, Module, type DynamicModule } from '@nestjs/common';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule, type TypeOrmModuleOptions } from '@nestjs/typeorm';
import {
  CAPTURE_ENTITIES,
  CAPTURE_MIGRATIONS,
  CaptureModule,
  parsePrivateKey,
  parsePublicKey,
  type DomainEvent,
} from 'order-capture';
import { ShopOrder } from './shop-order.entity';

/** The shop's own code: release a parcel once its payment is captured. */
@Injectable()
export class ParcelRelease {
  readonly released: string[] = [];

  @OnEvent('order.captured') // after commit, at least once: deduplicate on event.id
  onCaptured(event: DomainEvent): void {
    if (!this.released.includes(event.order.merchantOrderId)) this.released.push(event.order.merchantOrderId);
  }
}

@Module({})
export class ShopModule {
  static register(database: TypeOrmModuleOptions): DynamicModule {
    return {
      module: ShopModule,
      imports: [
        // The shop's own connection and entities; the capture tables come with their migrations.
        TypeOrmModule.forRoot({
          ...database,
          entities: [ShopOrder, ...CAPTURE_ENTITIES],
          migrations: [...CAPTURE_MIGRATIONS],
          migrationsRun: true,
        } as TypeOrmModuleOptions),
        EventEmitterModule.forRoot(), // domain events to @OnEvent listeners (required)
        ScheduleModule.forRoot(), // scheduled captures, inquiries, deadlines (required)
        CaptureModule.forRootAsync({
          routePrefix: 'payments', // /payments/orders, /payments/admin, /payments/webhooks
          tablePrefix: 'capture_', // capture_orders beside the shop's own orders table
          useFactory: () => ({
            adminToken: process.env.ADMIN_TOKEN, // bearer token of /payments/orders and /payments/admin
            antom: {
              baseUrl: process.env.ANTOM_BASE_URL!,
              clientId: process.env.ANTOM_CLIENT_ID!,
              merchantPrivateKey: parsePrivateKey(
                process.env.ANTOM_MERCHANT_PRIVATE_KEY,
                'ANTOM_MERCHANT_PRIVATE_KEY',
              ),
              publicKey: parsePublicKey(process.env.ANTOM_PUBLIC_KEY, 'ANTOM_PUBLIC_KEY'),
              notifyPath: '/payments/webhooks/antom', // the path you register with Antom
            },
          }),
        }),
      ],
      providers: [ParcelRelease],
    };
  }
}
