import { describe, expect, it } from 'vitest';
import type { CreatedApiKey, Me } from '../../worker/contracts/api';
import { call, callJson, signUp, type Credentials, type TestUser } from './helpers/api';
import { addMember } from './helpers/workspace';

type ErrorBody = { error: { code: string; message: string } };

async function adminWithKey() {
	const owner = await signUp('owner');
	const admin = await addMember(owner, 'admin');
	const spare = await addMember(owner, 'member', 'spare');
	const created = await callJson<CreatedApiKey>('/api/workspace/api-keys', {
		method: 'POST',
		json: { name: 'CI', role: 'admin' },
		as: admin.as
	});
	expect(created.status).toBe(201);
	return { owner, admin, spare, key: { apiKey: created.body.secret } satisfies Credentials };
}

const setRole = (by: TestUser, user: TestUser, role: 'admin' | 'member') =>
	call(`/api/workspace/members/${user.me.user.id}`, { method: 'PATCH', json: { role }, as: by.as });

async function expectForbidden(response: Response) {
	expect(response.status).toBe(403);
	expect(((await response.json()) as ErrorBody).error.code).toBe('forbidden');
}

describe("an API key acts with the lower of its own role and its creator's current role", () => {
	it("loses admin rights on the next request once its creator is demoted, and keeps a member's", async () => {
		const { owner, admin, spare, key } = await adminWithKey();
		expect((await call('/api/workspace/api-keys', { as: key })).status).toBe(200);

		expect((await setRole(owner, admin, 'member')).status).toBe(204);

		await expectForbidden(await call('/api/workspace/api-keys', { as: key }));
		await expectForbidden(
			await call('/api/workspace/invitations', {
				method: 'POST',
				json: { email: `new-${crypto.randomUUID()}@example.com`, role: 'admin' },
				as: key
			})
		);
		await expectForbidden(await call(`/api/workspace/members/${spare.me.user.id}`, { method: 'PATCH', json: { role: 'admin' }, as: key }));
		await expectForbidden(await call(`/api/workspace/members/${admin.me.user.id}`, { method: 'PATCH', json: { role: 'admin' }, as: key }));

		const members = await callJson<{ members: { userId: string; role: string }[] }>('/api/workspace/members', { as: owner.as });
		expect(members.body.members.find((member) => member.userId === admin.me.user.id)?.role).toBe('member');
		expect(members.body.members.find((member) => member.userId === spare.me.user.id)?.role).toBe('member');

		const me = await callJson<Me>('/api/me', { as: key });
		expect(me.body.role).toBe('member');
		expect((await call('/api/projects', { method: 'POST', json: { name: 'Still a member' }, as: key })).status).toBe(201);
	});

	it('gets its admin rights back only when its creator is promoted again', async () => {
		const { owner, admin, key } = await adminWithKey();
		await setRole(owner, admin, 'member');
		await expectForbidden(await call('/api/workspace/api-keys', { as: key }));
		await setRole(owner, admin, 'admin');
		expect((await call('/api/workspace/api-keys', { as: key })).status).toBe(200);
	});

	it('never acts above its own role, even for an owner', async () => {
		const owner = await signUp('owner');
		const created = await callJson<CreatedApiKey>('/api/workspace/api-keys', {
			method: 'POST',
			json: { name: 'read-mostly', role: 'member' },
			as: owner.as
		});
		const key = { apiKey: created.body.secret };
		expect((await callJson<Me>('/api/me', { as: key })).body.role).toBe('member');
		await expectForbidden(await call('/api/workspace/api-keys', { as: key }));
	});

	it('stops working on the next request once its creator is removed', async () => {
		const { owner, admin, key } = await adminWithKey();
		expect((await call(`/api/workspace/members/${admin.me.user.id}`, { method: 'DELETE', as: owner.as })).status).toBe(204);
		const response = await callJson<ErrorBody>('/api/projects', { as: key });
		expect(response.status).toBe(401);
		expect(response.body.error.code).toBe('invalid_api_key');
	});
});
