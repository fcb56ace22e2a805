import { describe, expect, it } from 'vitest';
import type { CreatedApiKey, CreatedInvitation } from '../../worker/contracts/api';
import { call, callJson, signUp, type TestUser } from './helpers/api';
import { addMember, createProject } from './helpers/workspace';

/** Everything workspace B has, as B sees it, to compare before and after A's attempts. */
async function snapshot(owner: TestUser, projectId: string) {
	const paths = [
		'/api/projects',
		`/api/projects/${projectId}`,
		'/api/workspace/members',
		'/api/workspace/invitations',
		'/api/workspace/api-keys',
		'/api/me'
	];
	return Promise.all(paths.map(async (path) => (await callJson(path, { as: owner.as })).body));
}

describe('tenant isolation', () => {
	it('gives 404 for every id of another workspace, with no data and no change', async () => {
		const attacker = await signUp('attacker');
		const victim = await signUp('victim');
		const project = await createProject(victim, { name: 'Secret study', researchGoals: 'Confidential' });
		const member = await addMember(victim, 'member');
		const invitation = await callJson<CreatedInvitation>('/api/workspace/invitations', {
			method: 'POST',
			json: { email: `x-${crypto.randomUUID()}@example.com` },
			as: victim.as
		});
		const key = await callJson<CreatedApiKey>('/api/workspace/api-keys', { method: 'POST', json: { name: 'victim key' }, as: victim.as });
		const before = await snapshot(victim, project.id);

		const attempts: [string, RequestInit & { json?: unknown }][] = [
			[`/api/projects/${project.id}`, {}],
			[`/api/projects/${project.id}`, { method: 'PATCH', json: { name: 'Pwned' } }],
			[`/api/projects/${project.id}`, { method: 'DELETE' }],
			[`/api/workspace/members/${member.me.user.id}`, { method: 'PATCH', json: { role: 'admin' } }],
			[`/api/workspace/members/${member.me.user.id}`, { method: 'DELETE' }],
			[`/api/workspace/members/${victim.me.user.id}`, { method: 'DELETE' }],
			[`/api/workspace/invitations/${invitation.body.invitation.id}`, { method: 'DELETE' }],
			[`/api/workspace/api-keys/${key.body.apiKey.id}`, { method: 'DELETE' }],
			['/api/workspaces/switch', { method: 'POST', json: { workspaceId: victim.me.workspace.id } }]
		];
		for (const [path, init] of attempts) {
			const response = await callJson<{ error: { code: string } }>(path, { ...init, as: attacker.as });
			expect(response.status, `${init.method ?? 'GET'} ${path}`).toBe(404);
			expect(response.body.error.code).toBe('not_found');
			expect(JSON.stringify(response.body)).not.toContain('Secret study');
		}

		const listed = await callJson<{ projects: { id: string }[] }>('/api/projects', { as: attacker.as });
		expect(listed.body.projects).toEqual([]);
		expect(await snapshot(victim, project.id)).toEqual(before);
	});

	it('scopes API keys to their own workspace', async () => {
		const attacker = await signUp('attacker');
		const victim = await signUp('victim');
		const project = await createProject(victim);
		const key = await callJson<CreatedApiKey>('/api/workspace/api-keys', {
			method: 'POST',
			json: { name: 'attacker key', role: 'admin' },
			as: attacker.as
		});
		const response = await call(`/api/projects/${project.id}`, { as: { apiKey: key.body.secret } });
		expect(response.status).toBe(404);
	});
});
