import { and, eq, isNotNull, isNull, lt } from 'drizzle-orm';
import { createDatabase } from '../../db/client';
import { project } from '../../db/schema';
import { now } from '../../lib/clock';
import { projectPrefix } from '../../lib/storage-keys';

/** Deletes every R2 object of a soft-deleted project, then marks it purged. Safe to run twice. */
export async function purgeProjectFiles(env: Pick<Env, 'DB' | 'FILES'>, workspaceId: string, projectId: string): Promise<number> {
	const db = createDatabase(env.DB);
	const row = await db.query.project.findFirst({
		where: and(eq(project.id, projectId), eq(project.workspaceId, workspaceId), isNotNull(project.deletedAt))
	});
	if (!row) return 0;
	const prefix = projectPrefix(workspaceId, projectId);
	let deleted = 0;
	let cursor: string | undefined;
	do {
		const page = await env.FILES.list({ prefix, cursor, limit: 1000 });
		if (page.objects.length > 0) {
			await env.FILES.delete(page.objects.map((object) => object.key));
			deleted += page.objects.length;
		}
		cursor = page.truncated ? page.cursor : undefined;
	} while (cursor);
	await db.update(project).set({ purgedAt: new Date() }).where(eq(project.id, projectId));
	return deleted;
}

/** Soft-deleted projects whose purge job has not finished after `olderThanMs` (by the server clock, as every sweep reads it). */
export async function findUnpurgedProjects(env: Pick<Env, 'DB'>, olderThanMs: number) {
	const db = createDatabase(env.DB);
	return db
		.select({ workspaceId: project.workspaceId, projectId: project.id })
		.from(project)
		.where(and(isNotNull(project.deletedAt), isNull(project.purgedAt), lt(project.deletedAt, new Date(now() - olderThanMs))))
		.limit(100);
}
