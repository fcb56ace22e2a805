import { and, eq, isNull } from 'drizzle-orm';
import type { ProjectPrivacy } from '../../contracts/privacy';
import type { Database } from '../../db/client';
import { project } from '../../db/schema';
import { ApiError } from '../../lib/errors';
import { assertRole, hasRole, type Principal } from '../../lib/principal';
import { findProjectRow } from '../projects';
import { DEFAULT_PRIVACY, type PrivacySettings } from './transcript';

/** A project's personal-data settings: any member may change redaction; keeping originals is for owners and admins. */

type PrivacyRow = { redactPersonalData: boolean; keepOriginal: boolean };

const view = (row: PrivacyRow, principal: Principal): ProjectPrivacy => ({
	redactPersonalData: row.redactPersonalData,
	keepOriginal: row.keepOriginal,
	canManageOriginals: hasRole(principal, 'admin')
});

export async function getProjectPrivacy(db: Database, principal: Principal, projectId: string): Promise<ProjectPrivacy> {
	return view(await findProjectRow(db, principal, projectId), principal);
}

export async function updateProjectPrivacy(
	db: Database,
	principal: Principal,
	projectId: string,
	patch: { redactPersonalData?: boolean; keepOriginal?: boolean }
): Promise<ProjectPrivacy> {
	if (patch.keepOriginal !== undefined) assertRole(principal, 'admin', 'choose whether originals are kept');
	await findProjectRow(db, principal, projectId);
	const [row] = await db
		.update(project)
		.set({ ...patch, updatedAt: new Date() })
		.where(and(eq(project.id, projectId), eq(project.workspaceId, principal.workspaceId), isNull(project.deletedAt)))
		.returning();
	if (!row) throw new ApiError('not_found', 'Project not found.');
	return view(row, principal);
}

/** What the pipeline needs of a project; a project gone meanwhile redacts, as the default does. */
export async function projectPrivacy(db: Database, projectId: string): Promise<PrivacySettings> {
	const row = await db.query.project.findFirst({ where: eq(project.id, projectId) });
	return row ? { redact: row.redactPersonalData, keepOriginal: row.keepOriginal } : DEFAULT_PRIVACY;
}
