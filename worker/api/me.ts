import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { Me } from '../contracts/api';
import { getWorkspace, listWorkspaces, resolveSessionWorkspace } from '../services/accounts';
import { getBalance } from '../services/ledger';
import { createRouter, requireAccount, requirePrincipal, type AppEnv } from './context';
import { ERRORS, json } from './openapi';

const route = createRoute({
	method: 'get',
	path: '/me',
	operationId: 'getMe',
	tags: ['account'],
	summary: 'The signed-in user, the current workspace, the role and the balance',
	responses: { 200: json(Me, 'Who you are'), 401: ERRORS[401] }
});

export async function buildMe(c: Context<AppEnv>) {
	const principal = requirePrincipal(c);
	const account = requireAccount(c);
	const db = c.get('db');
	const [space, workspaces, balance] = await Promise.all([
		getWorkspace(db, principal.workspaceId),
		listWorkspaces(db, account.id),
		getBalance(db, principal.workspaceId)
	]);
	return Me.parse({
		user: account,
		workspace: { id: space.id, name: space.name },
		role: principal.role,
		workspaces: principal.method === 'api_key' ? workspaces.filter((each) => each.id === principal.workspaceId) : workspaces,
		balance,
		authMethod: principal.method
	});
}

/** `Me` after the signed-in user's current workspace changed within this request. */
export async function buildMeAfterSwitch(c: Context<AppEnv>, workspaceId: string) {
	const principal = requirePrincipal(c);
	const current = await resolveSessionWorkspace(c.get('db'), { ...requireAccount(c), currentWorkspaceId: workspaceId }, 0);
	c.set('principal', { ...principal, ...current });
	return buildMe(c);
}

export function meRoutes() {
	return createRouter().openapi(route, async (c) => c.json(await buildMe(c), 200));
}
