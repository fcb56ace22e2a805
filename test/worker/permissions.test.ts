import { describe, expect, it } from 'vitest';
import type { Role } from '../../worker/contracts/api';
import { call, signUp, type TestUser } from './helpers/api';
import { addMember, createProject } from './helpers/workspace';

type Team = { owner: TestUser; admin: TestUser; member: TestUser; spare: TestUser };

async function team(): Promise<Team> {
	const owner = await signUp('owner');
	const [admin, member, spare] = [
		await addMember(owner, 'admin'),
		await addMember(owner, 'member'),
		await addMember(owner, 'member', 'spare')
	];
	return { owner, admin, member, spare };
}

type Action = { name: string; allowed: Role[]; run: (as: TestUser, team: Team) => Promise<Response> };

const ALL: Role[] = ['owner', 'admin', 'member'];
const ADMINS: Role[] = ['owner', 'admin'];

const actions: Action[] = [
	{ name: 'read the workspace members', allowed: ALL, run: (as) => call('/api/workspace/members', { as: as.as }) },
	{
		name: 'rename the workspace',
		allowed: ADMINS,
		run: (as) => call('/api/workspace', { method: 'PATCH', json: { name: 'Renamed' }, as: as.as })
	},
	{
		name: 'invite a member',
		allowed: ADMINS,
		run: (as) =>
			call('/api/workspace/invitations', { method: 'POST', json: { email: `new-${crypto.randomUUID()}@example.com` }, as: as.as })
	},
	{ name: 'list invitations', allowed: ADMINS, run: (as) => call('/api/workspace/invitations', { as: as.as }) },
	{
		name: "change a member's role",
		allowed: ADMINS,
		run: (as, t) => call(`/api/workspace/members/${t.spare.me.user.id}`, { method: 'PATCH', json: { role: 'admin' }, as: as.as })
	},
	{
		name: 'remove a member',
		allowed: ADMINS,
		run: (as, t) => call(`/api/workspace/members/${t.spare.me.user.id}`, { method: 'DELETE', as: as.as })
	},
	{
		name: "change the owner's role",
		allowed: [],
		run: (as, t) => call(`/api/workspace/members/${t.owner.me.user.id}`, { method: 'PATCH', json: { role: 'member' }, as: as.as })
	},
	{
		name: 'remove the owner',
		allowed: [],
		run: (as, t) => call(`/api/workspace/members/${t.owner.me.user.id}`, { method: 'DELETE', as: as.as })
	},
	{
		name: 'create an API key',
		allowed: ADMINS,
		run: (as) => call('/api/workspace/api-keys', { method: 'POST', json: { name: 'key' }, as: as.as })
	},
	{ name: 'list API keys', allowed: ADMINS, run: (as) => call('/api/workspace/api-keys', { as: as.as }) },
	{ name: 'create a project', allowed: ALL, run: (as) => call('/api/projects', { method: 'POST', json: { name: 'P' }, as: as.as }) },
	{
		name: 'edit a project',
		allowed: ALL,
		run: async (as, t) =>
			call(`/api/projects/${(await createProject(t.owner)).id}`, { method: 'PATCH', json: { researchGoals: 'New goals' }, as: as.as })
	},
	{
		name: 'delete a project',
		allowed: ADMINS,
		run: async (as, t) => call(`/api/projects/${(await createProject(t.owner)).id}`, { method: 'DELETE', as: as.as })
	}
];

describe('roles are enforced on the server', () => {
	for (const action of actions) {
		for (const role of ALL) {
			const allowed = action.allowed.includes(role);
			it(`${role} ${allowed ? 'may' : 'may not'} ${action.name}`, async () => {
				const t = await team();
				const response = await action.run(t[role], t);
				if (allowed) expect(response.status).toBeLessThan(300);
				else {
					expect(response.status).toBe(403);
					expect(await response.json()).toMatchObject({ error: { code: 'forbidden' } });
				}
			});
		}
	}

	it('lets a member leave, but never the owner', async () => {
		const t = await team();
		expect((await call(`/api/workspace/members/${t.member.me.user.id}`, { method: 'DELETE', as: t.member.as })).status).toBe(204);
		expect((await call(`/api/workspace/members/${t.owner.me.user.id}`, { method: 'DELETE', as: t.owner.as })).status).toBe(403);
	});
});
