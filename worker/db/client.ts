import { drizzle } from 'drizzle-orm/d1';
import type { BatchItem } from 'drizzle-orm/batch';
import * as schema from './schema';

export function createDatabase(d1: D1Database) {
	return drizzle(d1, { schema });
}

export type Database = ReturnType<typeof createDatabase>;

/**
 * A database whose queries run in one D1 session (read replication). drizzle only calls `prepare`
 * and `batch`, which a session has with the same signatures as the binding; its types know the
 * binding alone, hence the one cast.
 */
export function createSessionDatabase(session: D1DatabaseSession): Database {
	return createDatabase(session as unknown as D1Database);
}

/** One statement of a D1 batch, built with drizzle. */
export type Statement = BatchItem<'sqlite'>;

/**
 * Runs statements as one D1 batch (all or nothing) and returns their results in order. drizzle's
 * `batch` types a literal tuple; statement lists here are built as arrays, so the one cast that
 * bridges the two lives here rather than at every call. An empty list is a no-op.
 */
export async function runBatch(db: Database, statements: readonly Statement[]): Promise<unknown[]> {
	const [first, ...rest] = statements;
	if (!first) return [];
	return db.batch([first, ...rest]);
}

/**
 * Runs statements and then `read` in the same batch, so the read sees exactly what the batch wrote;
 * `read`'s rows come back typed.
 */
export async function runBatchThenRead<R>(
	db: Database,
	statements: readonly Statement[],
	read: Statement & PromiseLike<R>
): Promise<{ results: unknown[]; read: R }> {
	const all = await runBatch(db, [...statements, read]);
	return { results: all.slice(0, -1), read: all.at(-1) as R };
}

/** How many rows a write in a batch changed (D1 reports it in the statement's meta). */
export function changesOf(result: unknown): number {
	const meta = (result as Partial<D1Result> | undefined)?.meta;
	return typeof meta?.changes === 'number' ? meta.changes : 0;
}
