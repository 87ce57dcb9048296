import { CreateCaptureSchema1763900000000 } from './1763900000000-CreateCaptureSchema';

/** In order; a host app passes these to its own DataSource. */
export const CAPTURE_MIGRATIONS = [CreateCaptureSchema1763900000000];
