import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Link, PublicLink } from '../../worker/contracts/links';
import { createDatabase } from '../../worker/db/client';
import type { Principal } from '../../worker/lib/principal';
import { updateLink } from '../../worker/services/links';
import { call, callJson } from './helpers/api';
import { setUp } from './helpers/interview';

type ErrorBody = { error: { code: string; message: string } };
const SITE = 'https://research.example.com';

const patch = (setup: Awaited<ReturnType<typeof setUp>>, body: Record<string, unknown>) =>
	callJson<Link & ErrorBody>(`/api/links/${setup.links[0]!.id}`, { method: 'PATCH', json: body, as: setup.owner.as });

const frameAncestors = async (path: string) => {
	const response = await call(path);
	const policy = response.headers.get('Content-Security-Policy') ?? '';
	return { policy, ancestors: /frame-ancestors ([^;]*)/.exec(policy)?.[1] ?? null, frameOptions: response.headers.get('X-Frame-Options') };
};

describe('a link’s Allowed websites', () => {
	it('are saved on create and PATCH, shown on the link and its public view', async () => {
		const setup = await setUp({ kind: 'public', allowedOrigins: [SITE] });
		expect(setup.links[0]!.allowedOrigins).toEqual([SITE]);
		const changed = await patch(setup, { allowedOrigins: [SITE, 'https://shop.example.org:8443', 'http://127.0.0.1:5173'] });
		expect(changed.status).toBe(200);
		expect(changed.body.allowedOrigins).toEqual([SITE, 'https://shop.example.org:8443', 'http://127.0.0.1:5173']);
		const publicView = await callJson<PublicLink>(`/api/public/links/${setup.links[0]!.token}`);
		expect(publicView.body.allowedOrigins).toEqual(changed.body.allowedOrigins);
		expect((await patch(setup, { allowedOrigins: [] })).body.allowedOrigins).toEqual([]);
	});

	it('refuse anything but a bare https origin (or http loopback here) with 400 and change nothing', async () => {
		const setup = await setUp({ kind: 'private', names: ['Panel A'], allowedOrigins: [SITE] });
		for (const bad of [
			['https://research.example.com/'],
			['https://research.example.com/survey'],
			['http://research.example.com'],
			['ftp://research.example.com'],
			['javascript:alert(1)'],
			["https://example.com 'unsafe-inline'"],
			['*'],
			['research.example.com'],
			[SITE, SITE],
			'https://research.example.com',
			[42]
		]) {
			const refused = await patch(setup, { allowedOrigins: bad });
			expect(refused.status, JSON.stringify(bad)).toBe(400);
			expect(refused.body.error.code).toBe('invalid_request');
		}
		const link = await callJson<Link>(`/api/links/${setup.links[0]!.id}`, { as: setup.owner.as });
		expect(link.body.allowedOrigins).toEqual([SITE]);
	});

	it('are for public and private links only', async () => {
		const setup = await setUp({ kind: 'single', count: 1 });
		expect((await patch(setup, { allowedOrigins: [SITE] })).status).toBe(400);
		const created = await callJson<ErrorBody>(`/api/interviewers/${setup.interviewer.id}/links`, {
			method: 'POST',
			json: { kind: 'single', allowedOrigins: [SITE] },
			as: setup.owner.as
		});
		expect(created.status).toBe(400);
	});

	it('take plain http only on a loopback development server', async () => {
		const setup = await setUp({ kind: 'public' });
		const production = { ...env, PUBLIC_BASE_URL: 'https://parley.example' };
		const principal: Principal = {
			workspaceId: setup.owner.me.workspace.id,
			userId: setup.owner.me.user.id,
			role: 'owner',
			method: 'session'
		};
		await expect(
			updateLink(production, createDatabase(env.DB), principal, setup.links[0]!.id, { allowedOrigins: ['http://127.0.0.1:5173'] })
		).rejects.toMatchObject({ code: 'invalid_request', status: 400 });
		const link = await callJson<Link>(`/api/links/${setup.links[0]!.id}`, { as: setup.owner.as });
		expect(link.body.allowedOrigins).toEqual([]);
	});
});

describe('/embed/<token> may be framed by the link’s Allowed websites and nothing else', () => {
	it('sends frame-ancestors with exactly those origins, and none for links without them', async () => {
		const setup = await setUp({ kind: 'public', allowedOrigins: [SITE, 'http://127.0.0.1:5173'] });
		const token = setup.links[0]!.token;
		const allowed = await frameAncestors(`/embed/${token}`);
		expect(allowed.ancestors).toBe(`${SITE} http://127.0.0.1:5173`);
		expect(allowed.frameOptions).toBeNull();

		await patch(setup, { allowedOrigins: [] });
		expect((await frameAncestors(`/embed/${token}`)).ancestors).toBe("'none'");
	});

	it('keeps frame-ancestors none for unknown, malformed and deleted links', async () => {
		const setup = await setUp({ kind: 'public', allowedOrigins: [SITE] });
		for (const path of ['/embed/not-a-token', '/embed/%E0%A4%A', '/embed/', `/embed/${setup.links[0]!.token}/extra`]) {
			const { ancestors } = await frameAncestors(path);
			expect(ancestors, path).toBe("'none'");
		}
		await call(`/api/links/${setup.links[0]!.id}`, { method: 'DELETE', as: setup.owner.as });
		expect((await frameAncestors(`/embed/${setup.links[0]!.token}`)).ancestors).toBe("'none'");
	});
});
