import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { ApiKey, CreatedApiKey, Invitation, Me, Member } from '../../worker/contracts/api';
import { call, callJson, signUp } from './helpers/api';
import { addMember, createProject } from './helpers/workspace';

type ErrorBody = { error: { code: string; message: string } };

describe('invitations and switching', () => {
	it('lets an invited user join, switch between workspaces and see each one', async () => {
		const owner = await signUp('owner');
		const project = await createProject(owner, { name: 'Shared study' });
		const member = await addMember(owner, 'member');

		const me = await callJson<Me>('/api/me', { as: member.as });
		expect(me.body.workspace.id).toBe(owner.me.workspace.id);
		expect(me.body.role).toBe('member');
		expect(me.body.workspaces.map((workspace) => workspace.role).sort()).toEqual(['member', 'owner']);
		expect((await callJson<{ projects: { id: string }[] }>('/api/projects', { as: member.as })).body.projects.map((p) => p.id)).toEqual([
			project.id
		]);

		const switched = await callJson<Me>('/api/workspaces/switch', {
			method: 'POST',
			json: { workspaceId: member.me.workspace.id },
			as: member.as
		});
		expect(switched.body.workspace.id).toBe(member.me.workspace.id);
		expect((await callJson<{ projects: unknown[] }>('/api/projects', { as: member.as })).body.projects).toEqual([]);
	});

	it('refuses to switch to a workspace the user does not belong to', async () => {
		const user = await signUp();
		const stranger = await signUp();
		const response = await callJson<ErrorBody>('/api/workspaces/switch', {
			method: 'POST',
			json: { workspaceId: stranger.me.workspace.id },
			as: user.as
		});
		expect(response.status).toBe(404);
		expect((await callJson<Me>('/api/me', { as: user.as })).body.workspace.id).toBe(user.me.workspace.id);
	});

	it('binds an invitation to its email, and a revoked one cannot be accepted', async () => {
		const owner = await signUp();
		const invitee = await signUp('invitee');
		const other = await signUp('other');
		const invite = await callJson<{ url: string; invitation: Invitation }>('/api/workspace/invitations', {
			method: 'POST',
			json: { email: invitee.email, role: 'admin' },
			as: owner.as
		});
		const token = invite.body.url.split('/invite/')[1]!;

		const preview = await callJson<{ workspaceName: string; role: string; status: string }>(`/api/invitations/${token}`);
		expect(preview.body).toMatchObject({ role: 'admin', status: 'pending' });

		const wrongEmail = await callJson<ErrorBody>(`/api/invitations/${token}/accept`, { method: 'POST', as: other.as });
		expect(wrongEmail.status).toBe(403);

		expect((await call(`/api/workspace/invitations/${invite.body.invitation.id}`, { method: 'DELETE', as: owner.as })).status).toBe(204);
		const revoked = await callJson<ErrorBody>(`/api/invitations/${token}/accept`, { method: 'POST', as: invitee.as });
		expect(revoked.status).toBe(410);
		const members = await callJson<{ members: Member[] }>('/api/workspace/members', { as: owner.as });
		expect(members.body.members).toHaveLength(1);
	});

	it('mails the invite link through the dev mailer', async () => {
		const owner = await signUp();
		const email = `invitee-${crypto.randomUUID().slice(0, 6)}@example.com`;
		const invite = await callJson<{ url: string }>('/api/workspace/invitations', {
			method: 'POST',
			json: { email, role: 'member' },
			as: owner.as
		});
		const outbox = await callJson<{ messages: { text: string }[] }>(`/api/dev/outbox?to=${email}`);
		expect(outbox.body.messages[0]!.text).toContain(invite.body.url);
	});

	it('refuses an invalid invitation email and a duplicate member', async () => {
		const owner = await signUp();
		const member = await addMember(owner, 'member');
		const invalid = await callJson<ErrorBody>('/api/workspace/invitations', {
			method: 'POST',
			json: { email: 'nope', role: 'member' },
			as: owner.as
		});
		expect(invalid.status).toBe(400);
		const duplicate = await callJson<ErrorBody>('/api/workspace/invitations', {
			method: 'POST',
			json: { email: member.email, role: 'member' },
			as: owner.as
		});
		expect(duplicate.status).toBe(409);
		const invitations = await callJson<{ invitations: Invitation[] }>('/api/workspace/invitations', { as: owner.as });
		expect(invitations.body.invitations).toHaveLength(1);
	});
});

describe('API keys', () => {
	it('shows the secret once, stores only its hash, works as a Bearer token and dies when revoked', async () => {
		const owner = await signUp();
		const created = await callJson<CreatedApiKey>('/api/workspace/api-keys', {
			method: 'POST',
			json: { name: 'CI', role: 'member' },
			as: owner.as
		});
		expect(created.status).toBe(201);
		const { secret, apiKey } = created.body;
		expect(secret).toMatch(/^pk_[A-Za-z0-9_-]{40,}$/);

		const stored = await env.DB.prepare('select * from api_key where id = ?').bind(apiKey.id).first<Record<string, unknown>>();
		expect(JSON.stringify(stored)).not.toContain(secret);
		const listed = await callJson<{ apiKeys: ApiKey[] }>('/api/workspace/api-keys', { as: owner.as });
		expect(JSON.stringify(listed.body)).not.toContain(secret);

		const viaKey = await callJson<Me>('/api/me', { as: { apiKey: secret } });
		expect(viaKey.body).toMatchObject({ authMethod: 'api_key', role: 'member', workspace: { id: owner.me.workspace.id } });
		const project = await callJson('/api/projects', {
			method: 'POST',
			json: { name: 'Via key' },
			as: { apiKey: secret },
			headers: { Origin: '' }
		});
		expect(project.status).toBe(201);

		expect((await call(`/api/workspace/api-keys/${apiKey.id}`, { method: 'DELETE', as: owner.as })).status).toBe(204);
		const revoked = await callJson<ErrorBody>('/api/projects', { as: { apiKey: secret } });
		expect(revoked.status).toBe(401);
		expect(revoked.body.error.code).toBe('invalid_api_key');
		const refused = await callJson<ErrorBody>('/api/projects', { method: 'POST', json: { name: 'After revoke' }, as: { apiKey: secret } });
		expect(refused.status).toBe(401);
		expect((await callJson<{ projects: unknown[] }>('/api/projects', { as: owner.as })).body.projects).toHaveLength(1);
	});

	it('refuses malformed and unknown keys', async () => {
		for (const header of ['Bearer', 'Basic abc', 'Bearer pk_unknown', 'Bearer ' + 'x'.repeat(300)]) {
			const response = await callJson<ErrorBody>('/api/me', { headers: { Authorization: header } });
			expect(response.status).toBe(401);
			expect(response.body.error.code).toBe('invalid_api_key');
		}
	});

	it('never gives a key more rights than its creator', async () => {
		const owner = await signUp();
		const admin = await addMember(owner, 'admin');
		const ok = await callJson('/api/workspace/api-keys', { method: 'POST', json: { name: 'admin key', role: 'admin' }, as: admin.as });
		expect(ok.status).toBe(201);
		const ownerRole = await callJson<ErrorBody>('/api/workspace/api-keys', {
			method: 'POST',
			json: { name: 'x', role: 'owner' },
			as: owner.as
		});
		expect(ownerRole.status).toBe(400);
	});
});

describe('the signup allowance', () => {
	it('is granted once per account, to its personal workspace; a workspace created later starts at 0', async () => {
		const user = await signUp();
		const signupTokens = Number(env.SIGNUP_TOKENS);
		expect(user.me.balance.available).toBe(signupTokens);

		const created: string[] = [];
		for (const name of ['Second', 'Third', 'Fourth']) {
			const workspace = await callJson<{ id: string }>('/api/workspaces', { method: 'POST', json: { name }, as: user.as });
			expect(workspace.status).toBe(201);
			created.push(workspace.body.id);
			const me = await callJson<Me>('/api/me', { as: user.as });
			expect(me.body.workspace.id).toBe(workspace.body.id);
			expect(me.body.balance).toEqual({ available: 0, reserved: 0, usedThisMonth: 0 });
		}

		const grants = await env.DB.prepare(
			"select workspace_id, available_delta from ledger_entry where kind = 'grant' and workspace_id in (select workspace_id from membership where user_id = ?)"
		)
			.bind(user.me.user.id)
			.all<{ workspace_id: string; available_delta: number }>();
		expect(grants.results).toEqual([{ workspace_id: user.me.workspace.id, available_delta: signupTokens }]);

		await callJson('/api/workspaces/switch', { method: 'POST', json: { workspaceId: user.me.workspace.id }, as: user.as });
		expect((await callJson<Me>('/api/me', { as: user.as })).body.balance.available).toBe(signupTokens);
	});
});
