import { z } from 'zod';

/** Every list endpoint pages the same way: `limit` rows (default 50, at most 200), then `cursor` = the last `nextCursor`. */
export const PAGE_LIMITS = { default: 50, max: 200 } as const;

export const PageQuery = z.object({
	limit: z.coerce
		.number()
		.int()
		.min(1)
		.max(PAGE_LIMITS.max)
		.default(PAGE_LIMITS.default)
		.describe(`Rows per page, 1–${PAGE_LIMITS.max} (default ${PAGE_LIMITS.default})`),
	cursor: z.string().max(200).optional().describe("The previous page's `nextCursor`; omit it for the first page")
});
export type PageQuery = z.infer<typeof PageQuery>;

export const NextCursor = z.string().nullable().describe('Pass it as `cursor` for the next page; null on the last page');
