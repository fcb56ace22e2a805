import { and, desc, eq } from 'drizzle-orm';
import type { QualityEvent, SetRecordQuality } from '../../../contracts/quality';
import { runBatch, type Database } from '../../../db/client';
import { record, recordQualityEvent, user } from '../../../db/schema';
import { newId } from '../../../lib/crypto';
import type { Principal } from '../../../lib/principal';

/** How many past overrides a record's page shows. */
const HISTORY_LIMIT = 50;

async function actorName(db: Database, userId: string): Promise<string> {
	const row = await db.select({ name: user.name, email: user.email }).from(user).where(eq(user.id, userId)).get();
	return row?.name || row?.email || '';
}

/**
 * Sets a researcher's flag on a record (it wins over the computed one) or clears it (`flag: null`),
 * and records who did it, when, and why, in the same batch. The record must be the caller's.
 */
export async function setRecordQuality(db: Database, principal: Principal, recordId: string, input: SetRecordQuality): Promise<void> {
	const at = new Date();
	const note = input.note?.trim() ?? '';
	const ownRecord = and(eq(record.id, recordId), eq(record.workspaceId, principal.workspaceId));
	await runBatch(db, [
		db
			.update(record)
			.set(
				input.flag
					? { qualityOverride: input.flag, qualityOverrideNote: note, qualityOverrideBy: principal.userId, qualityOverrideAt: at }
					: { qualityOverride: null, qualityOverrideNote: null, qualityOverrideBy: null, qualityOverrideAt: null }
			)
			.where(ownRecord),
		db.insert(recordQualityEvent).values({
			id: newId(),
			recordId,
			workspaceId: principal.workspaceId,
			action: input.flag ? 'override' : 'clear',
			flag: input.flag,
			note,
			actorId: principal.userId,
			actorName: await actorName(db, principal.userId),
			createdAt: at
		})
	]);
}

/** The record's overrides and clearings, newest first. */
export async function qualityHistory(db: Database, workspaceId: string, recordId: string): Promise<QualityEvent[]> {
	const rows = await db
		.select()
		.from(recordQualityEvent)
		.where(and(eq(recordQualityEvent.recordId, recordId), eq(recordQualityEvent.workspaceId, workspaceId)))
		.orderBy(desc(recordQualityEvent.createdAt), desc(recordQualityEvent.id))
		.limit(HISTORY_LIMIT);
	return rows.map((row) => ({
		action: row.action,
		flag: row.flag,
		note: row.note,
		by: { id: row.actorId, name: row.actorName },
		at: row.createdAt.toISOString()
	}));
}

/** The name of whoever set the record's current override. */
export const overrideByName = (db: Database, userId: string | null) => (userId ? actorName(db, userId) : Promise.resolve(''));
