import { and, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { RecordQuality } from '../../../contracts/quality';
import { record } from '../../../db/schema';

type QualityRow = Pick<
	typeof record.$inferSelect,
	| 'qualityFlag'
	| 'qualityReasons'
	| 'qualitySignals'
	| 'qualityOverride'
	| 'qualityOverrideNote'
	| 'qualityOverrideBy'
	| 'qualityOverrideAt'
>;

/** The flag that counts: a researcher's override wins over the computed flag. */
export const effectiveFlag = sql<string | null>`coalesce(${record.qualityOverride}, ${record.qualityFlag})`;

/** A record's quality as the API shows it. `byName` is the name of the member who set the override. */
export function recordQuality(row: QualityRow, byName = ''): RecordQuality {
	const override =
		row.qualityOverride && row.qualityOverrideAt
			? {
					flag: row.qualityOverride,
					note: row.qualityOverrideNote ?? '',
					by: { id: row.qualityOverrideBy, name: byName },
					at: row.qualityOverrideAt.toISOString()
				}
			: null;
	return {
		flag: row.qualityOverride ?? row.qualityFlag,
		computedFlag: row.qualityFlag,
		reasons: row.qualityReasons ?? [],
		signals: row.qualitySignals ?? null,
		override
	};
}

/** The records list's `quality` filter: a flag that counts, or never assessed. */
export function qualityCondition(filter: 'ok' | 'review' | 'low_quality' | 'not_assessed' | undefined): SQL | undefined {
	if (!filter) return undefined;
	if (filter === 'not_assessed') return and(isNull(record.qualityOverride), isNull(record.qualityFlag));
	return sql`${effectiveFlag} = ${filter}`;
}

/** Reports and metrics: every record but those whose flag that counts is `low_quality`. */
export const notLowQuality = sql`coalesce(${effectiveFlag}, '') <> 'low_quality'`;
export const isLowQuality = and(isNotNull(effectiveFlag), sql`${effectiveFlag} = 'low_quality'`)!;
