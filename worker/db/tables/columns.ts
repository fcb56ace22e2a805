import { integer, text } from 'drizzle-orm/sqlite-core';

/** Column shapes every table shares. */
export const id = () => text('id').primaryKey();
export const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });
export const createdAt = () =>
	timestamp('created_at')
		.notNull()
		.$defaultFn(() => new Date());
