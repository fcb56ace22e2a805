import { drizzle } from 'drizzle-orm/d1';
import type { BatchItem } from 'drizzle-orm/batch';
import * as schema from './schema';

export function createDatabase(d1: D1Database) {
	return drizzle(d1, { schema });
}

export type Database = ReturnType<typeof createDatabase>;

/** One statement of a D1 batch, built with drizzle. */
export type Statement = BatchItem<'sqlite'>;

/**
 * Runs statements as one D1 batch (all or nothing). drizzle's `batch` wants a non-empty tuple;
 * statement lists are built as arrays, so an empty one is a no-op here rather than a cast at every call.
 */
export async function runBatch(db: Database, statements: readonly Statement[]): Promise<unknown[]> {
	const [first, ...rest] = statements;
	if (!first) return [];
	return db.batch([first, ...rest]);
}
