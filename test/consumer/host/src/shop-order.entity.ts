import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The shop's own orders table, there long before order-capture: same name as the module's default. */
@Entity('orders')
export class ShopOrder {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  customer!: string;
}
