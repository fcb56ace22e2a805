import { and, asc, desc, eq, gte, isNull, like, lt, ne, or, sql } from 'drizzle-orm';
import type { QuestionCoverage } from '../../contracts/protocol';
import type { PageQuery } from '../../contracts/pagination';
import type { RecordDetail, RecordListQuery, RecordSummary } from '../../contracts/records';
import { StoredTranscript } from '../../contracts/records';
import type { Database } from '../../db/client';
import { interview, link, questionCoverage, record, user } from '../../db/schema';
import { afterCursor, pageOf } from '../../lib/cursor';
import { ApiError } from '../../lib/errors';
import type { Principal } from '../../lib/principal';
import { findProjectRow } from '../projects';
import { recordedAnswers } from '../screeners';
import { interviewerAudioKey, recordAudioTracks } from './audio';
import { redactionView } from './originals';
import { overrideByName, qualityCondition, qualityHistory, recordQuality, setRecordQuality } from './quality';
import type { SetRecordQuality } from '../../contracts/quality';

/** Records of a project: list, read, annotate, delete, and their transcript from R2. */

export type RecordRow = typeof record.$inferSelect;
type LinkInfo = { name: string; kind: 'single' | 'public' | 'private' } | null;
/** The exports read this many records at most. */
const EXPORT_LIMIT = 1000;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);
const likeAny = (text: string) => sql`${'%' + escapeLike(text) + '%'} escape '\\'`;

function toSummary(row: RecordRow, linkInfo: LinkInfo, overriddenBy = ''): RecordSummary {
	return {
		id: row.id,
		projectId: row.projectId,
		source: row.source,
		title: row.title,
		respondentEmail: row.respondentEmail,
		linkId: row.linkId,
		linkName: linkInfo ? linkInfo.name || null : null,
		linkKind: linkInfo?.kind ?? null,
		status: row.status,
		durationMs: row.durationMs,
		wordCount: row.wordCount,
		turnCount: row.turnCount,
		hasAudio: !!row.audioKey,
		tags: row.tags ?? [],
		createdAt: row.createdAt.toISOString(),
		quality: recordQuality(row, overriddenBy)
	};
}

const dayStart = (date: string) => new Date(`${date}T00:00:00.000Z`);

/** Records of a project matching the filters, newest first (ties by id), `limit` after the cursor. */
async function selectRecords(db: Database, principal: Principal, projectId: string, query: RecordListQuery, page: PageQuery) {
	await findProjectRow(db, principal, projectId);
	const search = query.q?.trim();
	const rows = await db
		.select({ record, linkName: link.name, linkKind: link.kind, overriddenBy: user.name })
		.from(record)
		.leftJoin(link, and(eq(link.id, record.linkId), eq(link.workspaceId, record.workspaceId)))
		.leftJoin(user, eq(user.id, record.qualityOverrideBy))
		.where(
			and(
				eq(record.workspaceId, principal.workspaceId),
				eq(record.projectId, projectId),
				isNull(record.deletedAt),
				search
					? or(
							like(record.title, likeAny(search)),
							like(record.respondentEmail, likeAny(search)),
							like(link.name, likeAny(search)),
							like(record.tags, likeAny(search))
						)
					: undefined,
				query.linkId ? eq(record.linkId, query.linkId) : undefined,
				query.linkName ? and(eq(link.kind, 'private'), like(link.name, likeAny(query.linkName))) : undefined,
				query.status ? eq(record.status, query.status) : undefined,
				query.status || query.includeEmpty === 'true' ? undefined : ne(record.status, 'empty'),
				query.from ? gte(record.createdAt, dayStart(query.from)) : undefined,
				query.to ? lt(record.createdAt, new Date(dayStart(query.to).getTime() + 86_400_000)) : undefined,
				qualityCondition(query.quality),
				afterCursor(record.createdAt, record.id, page.cursor)
			)
		)
		.orderBy(desc(record.createdAt), desc(record.id))
		.limit(page.limit + 1);
	return pageOf(rows, page.limit, (row) => row.record);
}

type ListRow = { record: RecordRow; linkName: string | null; linkKind: NonNullable<LinkInfo>['kind'] | null; overriddenBy: string | null };
const summaryOf = (row: ListRow) =>
	toSummary(row.record, row.linkKind ? { name: row.linkName ?? '', kind: row.linkKind } : null, row.overriddenBy ?? '');

/** The first thousand records matching the filters, for the exports. */
export async function listRecords(db: Database, principal: Principal, projectId: string, query: RecordListQuery): Promise<RecordSummary[]> {
	const { rows } = await selectRecords(db, principal, projectId, query, { limit: EXPORT_LIMIT });
	return rows.map(summaryOf);
}

/** A page of the records list. */
export async function listRecordPage(
	db: Database,
	principal: Principal,
	projectId: string,
	query: RecordListQuery,
	page: PageQuery
): Promise<{ records: RecordSummary[]; nextCursor: string | null }> {
	const { rows, nextCursor } = await selectRecords(db, principal, projectId, query, page);
	return { records: rows.map(summaryOf), nextCursor };
}

/** A live record of the caller's workspace; another workspace's id is simply not found. */
export async function findRecordRow(db: Database, principal: Pick<Principal, 'workspaceId'>, recordId: string): Promise<RecordRow> {
	const row = await db.query.record.findFirst({
		where: and(eq(record.id, recordId), eq(record.workspaceId, principal.workspaceId), isNull(record.deletedAt))
	});
	if (!row) throw new ApiError('not_found', 'Record not found.');
	return row;
}

export async function getRecord(db: Database, files: R2Bucket, principal: Principal, recordId: string): Promise<RecordDetail> {
	const row = await findRecordRow(db, principal, recordId);
	const audioTracks = await recordAudioTracks(files, row);
	const linkRow = row.linkId
		? await db.query.link.findFirst({ where: and(eq(link.id, row.linkId), eq(link.workspaceId, principal.workspaceId)) })
		: undefined;
	const session = row.interviewId
		? await db.query.interview.findFirst({
				where: and(eq(interview.id, row.interviewId), eq(interview.workspaceId, principal.workspaceId))
			})
		: undefined;
	return {
		...toSummary(row, linkRow ? { name: linkRow.name, kind: linkRow.kind } : null, await overrideByName(db, row.qualityOverrideBy)),
		notes: row.notes,
		interviewId: row.interviewId,
		consentAt: session?.consentAt?.toISOString() ?? null,
		startedAt: session?.startedAt.toISOString() ?? null,
		endedAt: session?.endedAt?.toISOString() ?? null,
		endReason: session?.endReason ?? null,
		provider: session?.provider ?? null,
		chargedTokens: session?.chargedTokens ?? null,
		hasAudio: audioTracks.length > 0,
		audioTracks,
		redaction: redactionView(row, principal),
		// In local mode the respondent's browser spoke the interviewer's lines, so there was no voice to record.
		interviewerVoice: audioTracks.includes('interviewer')
			? 'recorded'
			: session?.provider === 'local'
				? 'spoken_in_browser'
				: 'not_recorded',
		coverage: await recordCoverage(db, row.id),
		usage: (session?.usage as Record<string, number> | null | undefined) ?? null,
		qualityHistory: await qualityHistory(db, principal.workspaceId, row.id),
		screenerAnswers: recordedAnswers(session?.screenerAnswers)
	};
}

/** A researcher's quality flag on a record, or its clearing (`flag: null`); the record page's answer. */
export async function overrideRecordQuality(
	db: Database,
	files: R2Bucket,
	principal: Principal,
	recordId: string,
	input: SetRecordQuality
): Promise<RecordDetail> {
	await findRecordRow(db, principal, recordId);
	await setRecordQuality(db, principal, recordId, input);
	return getRecord(db, files, principal, recordId);
}

/** The record's question checklist, in guide order. */
async function recordCoverage(db: Database, recordId: string): Promise<QuestionCoverage[]> {
	const rows = await db
		.select()
		.from(questionCoverage)
		.where(eq(questionCoverage.recordId, recordId))
		.orderBy(asc(questionCoverage.position));
	return rows.map((row) => ({
		questionId: row.questionId,
		question: row.question,
		section: row.section,
		required: row.required,
		status: row.status,
		askedTurnId: row.askedTurnId,
		answeredTurnIds: row.answeredTurnIds,
		seconds: row.seconds
	}));
}

export async function updateRecord(
	db: Database,
	files: R2Bucket,
	principal: Principal,
	recordId: string,
	patch: { notes?: string; tags?: string[]; title?: string }
): Promise<RecordDetail> {
	await findRecordRow(db, principal, recordId);
	const tags = patch.tags ? [...new Set(patch.tags.map((tag) => tag.trim()))] : undefined;
	await db
		.update(record)
		.set({
			...(patch.notes !== undefined ? { notes: patch.notes } : {}),
			...(tags ? { tags } : {}),
			...(patch.title ? { title: patch.title } : {})
		})
		.where(and(eq(record.id, recordId), eq(record.workspaceId, principal.workspaceId)));
	return getRecord(db, files, principal, recordId);
}

/** Deletes the row and its R2 objects. Reports that quoted it keep their own copy of the quotes. */
export async function deleteRecord(db: Database, files: R2Bucket, principal: Principal, recordId: string): Promise<void> {
	const row = await findRecordRow(db, principal, recordId);
	const keys = [row.transcriptKey, row.audioKey, row.redaction?.originalKey].filter((key): key is string => !!key);
	const interviewerKey = interviewerAudioKey(row);
	if (interviewerKey) keys.push(interviewerKey);
	if (keys.length > 0) await files.delete(keys);
	await db.delete(record).where(and(eq(record.id, recordId), eq(record.workspaceId, principal.workspaceId)));
}

export async function readTranscript(files: R2Bucket, row: RecordRow): Promise<StoredTranscript> {
	if (!row.transcriptKey) return { startedAt: row.createdAt.getTime(), turns: [] };
	const object = await files.get(row.transcriptKey);
	if (!object) throw new ApiError('not_found', 'The transcript of this record is missing.');
	const parsed = StoredTranscript.safeParse(await object.json());
	if (!parsed.success) throw new ApiError('unprocessable', 'The transcript of this record could not be read.');
	return parsed.data;
}
