/**
 * The acquirer protocol layer: pure functions over bytes and parsed JSON (signatures, field
 * rules, machine events, dedupe keys). No Nest, no database, no HTTP; controllers and clients
 * call these.
 */
export * from './keys';
export * from './validation';
export * from './antom/antom-signature';
export * from './antom/antom-notification';
export * from './payermax/payermax-signature';
export * from './payermax/payermax-notification';
