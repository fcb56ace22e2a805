import { and, asc, eq } from 'drizzle-orm';
import { capabilitiesOf, unsupportedReason } from '../../ai/capabilities';
import type { Interviewer, Patience } from '../../contracts/links';
import type { Database } from '../../db/client';
import { interviewer } from '../../db/schema';
import { newId } from '../../lib/crypto';
import { ApiError } from '../../lib/errors';
import type { Principal } from '../../lib/principal';
import { findProjectRow } from '../projects';
import { workspaceProvider } from './provider-choice';

export type InterviewerRow = typeof interviewer.$inferSelect;

export function toInterviewer(row: InterviewerRow): Interviewer {
	return {
		id: row.id,
		projectId: row.projectId,
		name: row.name,
		status: row.status,
		voice: row.voice,
		language: row.language,
		durationMinutes: row.durationMinutes,
		topics: row.topics,
		instructions: row.instructions,
		patience: row.patience,
		openPrivateLinks: row.openPrivateLinks,
		createdAt: row.createdAt.toISOString(),
		updatedAt: row.updatedAt.toISOString()
	};
}

/** Refuses voice, language or duration the workspace's provider cannot do, with 422. */
export async function assertSupported(
	env: Env,
	db: Database,
	workspaceId: string,
	input: { voice?: string | null; language?: string | null; durationMinutes?: number }
) {
	const provider = await workspaceProvider(env, db, workspaceId);
	const reason = unsupportedReason(capabilitiesOf(provider), input);
	if (reason) throw new ApiError('unprocessable', reason, { provider });
}

export async function findInterviewerRow(db: Database, principal: Principal, interviewerId: string): Promise<InterviewerRow> {
	const row = await db.query.interviewer.findFirst({
		where: and(eq(interviewer.id, interviewerId), eq(interviewer.workspaceId, principal.workspaceId))
	});
	if (!row) throw new ApiError('not_found', 'Interviewer not found.');
	await findProjectRow(db, principal, row.projectId);
	return row;
}

export async function listInterviewers(db: Database, principal: Principal, projectId: string): Promise<Interviewer[]> {
	await findProjectRow(db, principal, projectId);
	const rows = await db
		.select()
		.from(interviewer)
		.where(and(eq(interviewer.workspaceId, principal.workspaceId), eq(interviewer.projectId, projectId)))
		.orderBy(asc(interviewer.createdAt));
	return rows.map(toInterviewer);
}

export type InterviewerInput = {
	name: string;
	status: 'live' | 'offline';
	voice?: string;
	language: string;
	durationMinutes: number;
	topics: string[];
	instructions: string;
	patience: Patience;
};

export async function createInterviewer(
	env: Env,
	db: Database,
	principal: Principal,
	projectId: string,
	input: InterviewerInput
): Promise<Interviewer> {
	await findProjectRow(db, principal, projectId);
	const voice = input.voice ?? capabilitiesOf(await workspaceProvider(env, db, principal.workspaceId)).defaultVoice;
	await assertSupported(env, db, principal.workspaceId, { ...input, voice });
	const now = new Date();
	const row: InterviewerRow = {
		id: newId(),
		workspaceId: principal.workspaceId,
		projectId,
		...input,
		voice,
		openPrivateLinks: 0,
		createdAt: now,
		updatedAt: now
	};
	await db.insert(interviewer).values(row);
	return toInterviewer(row);
}

/** Going offline refuses every new join on every link of the interviewer at once (joins read this row). */
export async function updateInterviewer(
	env: Env,
	db: Database,
	principal: Principal,
	interviewerId: string,
	patch: Partial<InterviewerInput>
): Promise<Interviewer> {
	const current = await findInterviewerRow(db, principal, interviewerId);
	await assertSupported(env, db, principal.workspaceId, {
		voice: patch.voice ?? current.voice,
		language: patch.language ?? current.language,
		durationMinutes: patch.durationMinutes ?? current.durationMinutes
	});
	const [updated] = await db
		.update(interviewer)
		.set({ ...patch, updatedAt: new Date() })
		.where(and(eq(interviewer.id, interviewerId), eq(interviewer.workspaceId, principal.workspaceId)))
		.returning();
	if (!updated) throw new ApiError('not_found', 'Interviewer not found.');
	return toInterviewer(updated);
}
