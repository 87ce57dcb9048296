/** The DataSource the TypeORM CLI uses (`npm run migration:run`): same URL and migrations as the service. */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { databaseOptions, DEFAULT_DATABASE_URL } from './src/capture/persistence/database-options';

export default new DataSource(databaseOptions(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, false));
