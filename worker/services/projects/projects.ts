import { and, asc, desc, eq, gt, inArray, isNull, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Project, ProjectSummary } from '../../contracts/api';
import type { PageQuery } from '../../contracts/pagination';
import { countQuestions, InterviewGuide } from '../../contracts/guide';
import { parseGuideText, renderGuideMarkdown } from '../../contracts/guide-text';
import { runBatch, type Database } from '../../db/client';
import { interviewer, link, project } from '../../db/schema';
import { newId } from '../../lib/crypto';
import { decodeCursor, pageOf } from '../../lib/cursor';
import { ApiError } from '../../lib/errors';
import { assertRole, type Principal } from '../../lib/principal';
import { releaseManyStatements } from '../ledger';
import { tokensPerMinute } from '../ledger';

type ProjectRow = typeof project.$inferSelect;

function guideOf(row: ProjectRow): InterviewGuide {
	const parsed = InterviewGuide.safeParse(row.interviewGuide);
	return parsed.success ? parsed.data : { sections: [] };
}

export function isContextComplete(researchGoals: string, guide: InterviewGuide): boolean {
	return researchGoals.trim().length > 0 && countQuestions(guide) > 0;
}

function toProject(row: ProjectRow): Project {
	const guide = guideOf(row);
	return {
		id: row.id,
		name: row.name,
		researchGoals: row.researchGoals,
		interviewGuide: guide,
		interviewGuideMarkdown: renderGuideMarkdown(guide),
		contextComplete: isContextComplete(row.researchGoals, guide),
		createdAt: row.createdAt.toISOString(),
		updatedAt: row.updatedAt.toISOString()
	};
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

type ProjectSort = { q?: string; sort: 'updated' | 'created' | 'name'; order: 'asc' | 'desc' };

/**
 * The projects after the cursor's project in the chosen order (ties by id, ascending). The cursor names the last
 * project shown; its sort value is read back, so the same cursor works for every sort without carrying the value.
 */
async function afterProject(db: Database, principal: Principal, query: ProjectSort, cursor: string | undefined): Promise<SQL | undefined> {
	if (!cursor) return undefined;
	const { id } = decodeCursor(cursor);
	const anchor = await db.query.project.findFirst({ where: and(eq(project.id, id), eq(project.workspaceId, principal.workspaceId)) });
	if (!anchor) throw new ApiError('invalid_request', 'The cursor is not one this list gave out.', { field: 'cursor' });
	if (query.sort === 'name') {
		const name = sql`${project.name} collate nocase`;
		const beyond = query.order === 'asc' ? sql`${name} > ${anchor.name}` : sql`${name} < ${anchor.name}`;
		return or(beyond, and(sql`${name} = ${anchor.name}`, gt(project.id, anchor.id)));
	}
	// Dates go through the column's own operators, which store them as the column does.
	const [column, value] = query.sort === 'updated' ? [project.updatedAt, anchor.updatedAt] : [project.createdAt, anchor.createdAt];
	return or((query.order === 'asc' ? gt : lt)(column, value), and(eq(column, value), gt(project.id, anchor.id)));
}

/** A page of the workspace's projects, searched and sorted. */
export async function listProjects(
	db: Database,
	principal: Principal,
	query: ProjectSort & PageQuery
): Promise<{ projects: ProjectSummary[]; nextCursor: string | null }> {
	const column = { updated: project.updatedAt, created: project.createdAt, name: sql`${project.name} collate nocase` }[query.sort];
	const direction = query.order === 'asc' ? asc : desc;
	const search = query.q?.trim();
	const rows = await db
		.select()
		.from(project)
		.where(
			and(
				eq(project.workspaceId, principal.workspaceId),
				isNull(project.deletedAt),
				search ? like(project.name, sql`${'%' + escapeLike(search) + '%'} escape '\\'`) : undefined,
				await afterProject(db, principal, query, query.cursor)
			)
		)
		.orderBy(direction(column), asc(project.id))
		.limit(query.limit + 1);
	const shown = pageOf(rows, query.limit, (row) => row);
	return {
		projects: shown.rows.map((row) => {
			const guide = guideOf(row);
			return {
				id: row.id,
				name: row.name,
				contextComplete: isContextComplete(row.researchGoals, guide),
				questionCount: countQuestions(guide),
				createdAt: row.createdAt.toISOString(),
				updatedAt: row.updatedAt.toISOString()
			};
		}),
		nextCursor: shown.nextCursor
	};
}

/** A live project of the caller's workspace; another workspace's id is simply not found. */
export async function findProjectRow(db: Database, principal: Principal, projectId: string): Promise<ProjectRow> {
	const row = await db.query.project.findFirst({
		where: and(eq(project.id, projectId), eq(project.workspaceId, principal.workspaceId), isNull(project.deletedAt))
	});
	if (!row) throw new ApiError('not_found', 'Project not found.');
	return row;
}

export async function getProject(db: Database, principal: Principal, projectId: string): Promise<Project> {
	return toProject(await findProjectRow(db, principal, projectId));
}

export async function createProject(
	db: Database,
	principal: Principal,
	input: { name: string; researchGoals?: string; interviewGuide?: InterviewGuide }
): Promise<Project> {
	const now = new Date();
	const row: ProjectRow = {
		id: newId(),
		workspaceId: principal.workspaceId,
		name: input.name,
		researchGoals: input.researchGoals ?? '',
		interviewGuide: input.interviewGuide ?? { sections: [] },
		redactPersonalData: true,
		keepOriginal: false,
		screener: [],
		createdBy: principal.userId,
		createdAt: now,
		updatedAt: now,
		deletedAt: null,
		purgedAt: null
	};
	await db.insert(project).values(row);
	return toProject(row);
}

/** Context edits apply to interviews that start afterwards; links already created are kept. */
export async function updateProject(
	db: Database,
	principal: Principal,
	projectId: string,
	patch: { name?: string; researchGoals?: string; interviewGuide?: InterviewGuide }
): Promise<Project> {
	await findProjectRow(db, principal, projectId);
	const [updated] = await db
		.update(project)
		.set({ ...patch, updatedAt: new Date() })
		.where(and(eq(project.id, projectId), eq(project.workspaceId, principal.workspaceId), isNull(project.deletedAt)))
		.returning();
	if (!updated) throw new ApiError('not_found', 'Project not found.');
	return toProject(updated);
}

/**
 * Soft delete: the project disappears at once and, in the same batch, every open link of it is
 * deleted (respondents are told the link is unknown from the next join) and gives back what it
 * holds but the shares of interviews still running, which finish and are charged as usual.
 * Its files are purged by a queued job.
 */
export async function deleteProject(env: Env, db: Database, principal: Principal, projectId: string): Promise<void> {
	assertRole(principal, 'admin', 'delete projects');
	await findProjectRow(db, principal, projectId);
	const now = new Date();
	const openLinks = and(
		eq(link.projectId, projectId),
		eq(link.workspaceId, principal.workspaceId),
		inArray(link.status, ['pending', 'active'])
	);
	const running = sql`(SELECT count(*) FROM interview i WHERE i.link_id = l.id AND i.status = 'active')`;
	await runBatch(db, [
		...releaseManyStatements(db, {
			workspaceId: principal.workspaceId,
			actorId: principal.userId,
			note: 'Project deleted',
			reservations: sql`SELECT 'link:' || l.id AS reference, ${running} * l.duration_minutes * ${tokensPerMinute(env)} AS keep
				FROM link l WHERE l.project_id = ${projectId} AND l.workspace_id = ${principal.workspaceId}
				AND l.status IN ('pending', 'active') AND l.reserved_tokens > 0`
		}),
		db.update(link).set({ status: 'deleted', updatedAt: now }).where(openLinks),
		db
			.update(interviewer)
			.set({ openPrivateLinks: 0, updatedAt: now })
			.where(and(eq(interviewer.projectId, projectId), eq(interviewer.workspaceId, principal.workspaceId))),
		db
			.update(project)
			.set({ deletedAt: now })
			.where(and(eq(project.id, projectId), eq(project.workspaceId, principal.workspaceId), isNull(project.deletedAt)))
	]);
}

/** Links need both halves of the research context. */
export function assertContextComplete(row: ProjectRow): void {
	if (!isContextComplete(row.researchGoals, guideOf(row))) {
		throw new ApiError('context_required', 'Fill in the Research Goals and the Interview Guide before creating links.');
	}
}

/** Where in a guide an issue is, in the words of the editor: "Section 2, question 3: ". */
function guideLocation(path: readonly PropertyKey[]): string {
	const words: Record<string, string> = { sections: 'Section', questions: 'question', probes: 'probe' };
	const parts: string[] = [];
	for (let index = 0; index + 1 < path.length; index += 2) {
		const [name, position] = [String(path[index]), path[index + 1]];
		if (typeof position === 'number' && words[name]) parts.push(`${words[name]} ${position + 1}`);
	}
	return parts.length > 0 ? `${parts.join(', ')}: ` : '';
}

/**
 * A pasted plain-text or Markdown guide as sections and questions. Pasted text can break the
 * guide's limits (a 1,001-character question, a 31st section), which is the caller's to fix:
 * 422 with the limit and where it is broken, never a server error.
 */
export function parsePastedGuide(text: string): InterviewGuide {
	const parsed = InterviewGuide.safeParse(parseGuideText(text));
	if (parsed.success) return parsed.data;
	const issues = parsed.error.issues.map((issue) => ({
		path: issue.path.join('.'),
		message: `${guideLocation(issue.path)}${issue.message}`
	}));
	throw new ApiError('unprocessable', issues[0]!.message, { issues });
}
