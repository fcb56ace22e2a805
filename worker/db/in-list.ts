import { sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/**
 * `column IN (…)` with the values bound as one JSON parameter: D1 binds at most 100 parameters a query, and a page of
 * a list holds up to 200 ids.
 */
export const inJsonList = (column: SQLiteColumn, values: string[]): SQL =>
	sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
