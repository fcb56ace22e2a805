import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Project } from '../../worker/contracts/api';
import type { Link } from '../../worker/contracts/links';
import { callJson, signUp, STRONG_PASSWORD, uniqueEmail } from './helpers/api';
import { createInterviewer, GUIDE } from './helpers/interview';
import { createProject } from './helpers/workspace';

type ErrorBody = { error: { code: string; message: string; details?: { fields?: string[] } } };
type JsonSchema = {
	type?: string;
	properties?: Record<string, JsonSchema>;
	additionalProperties?: unknown;
	items?: JsonSchema;
	anyOf?: JsonSchema[];
	oneOf?: JsonSchema[];
	allOf?: JsonSchema[];
};
type OpenApiDocument = { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>> };

async function researcher() {
	const owner = await signUp('researcher');
	const project = await createProject(owner, { researchGoals: 'Learn how new users get started.', interviewGuide: GUIDE });
	const interviewer = await createInterviewer(owner, project.id);
	return { owner, project, interviewer };
}

async function balanceOf(workspaceId: string) {
	return env.DB.prepare('select available, reserved from token_balance where workspace_id = ?')
		.bind(workspaceId)
		.first<{ available: number; reserved: number }>();
}

function expectUnknownField(response: { status: number; body: ErrorBody }, fields: string[]) {
	expect(response.status).toBe(400);
	expect(response.body.error.code).toBe('unknown_field');
	expect(response.body.error.details?.fields?.toSorted()).toEqual(fields.toSorted());
	for (const field of fields) expect(response.body.error.message).toContain(field);
}

/** Every object schema under `schema` that lets undeclared keys through, by its path. */
function openObjects(schema: JsonSchema, path: string): string[] {
	const open = schema.type === 'object' && schema.additionalProperties !== false ? [path] : [];
	const nested = [
		...Object.entries(schema.properties ?? {}).map(([key, child]) => openObjects(child, `${path}.${key}`)),
		...(schema.items ? [openObjects(schema.items, `${path}[]`)] : []),
		...[...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])].map((child) => openObjects(child, path))
	];
	return [...open, ...nested.flat()];
}

describe('unknown fields in a JSON body are refused', () => {
	it('refuses a misspelt maxUse with unknown_field, and creates and reserves nothing', async () => {
		const { owner, interviewer } = await researcher();
		const before = await balanceOf(owner.me.workspace.id);
		const refused = await callJson<ErrorBody>(`/api/interviewers/${interviewer.id}/links`, {
			method: 'POST',
			json: { maxUse: 5, kind: 'public' },
			as: owner.as,
			headers: { 'Idempotency-Key': crypto.randomUUID() }
		});
		expectUnknownField(refused, ['maxUse']);
		expect(await balanceOf(owner.me.workspace.id)).toEqual(before);
		const links = await callJson<{ links: Link[] }>(`/api/interviewers/${interviewer.id}/links`, { as: owner.as });
		expect(links.body.links).toEqual([]);
		const entries = await env.DB.prepare("select count(*) as n from ledger_entry where workspace_id = ? and kind = 'reserve'")
			.bind(owner.me.workspace.id)
			.first<{ n: number }>();
		expect(entries?.n).toBe(0);
	});

	it('refuses an unknown field nested in the interview guide, by its dotted path, and changes nothing', async () => {
		const { owner, project } = await researcher();
		const [section] = GUIDE.sections;
		const guide = { sections: [{ ...section, extra: true, questions: [{ ...section!.questions[0]!, note: 'x' }] }] };
		const refused = await callJson<ErrorBody>(`/api/projects/${project.id}`, {
			method: 'PATCH',
			json: { researchGoals: 'Changed', interviewGuide: guide },
			as: owner.as
		});
		expectUnknownField(refused, ['interviewGuide.sections.0.extra', 'interviewGuide.sections.0.questions.0.note']);
		const after = await callJson<Project>(`/api/projects/${project.id}`, { as: owner.as });
		expect(after.body.researchGoals).toBe(project.researchGoals);
		expect(after.body.interviewGuide).toEqual(project.interviewGuide);
	});

	it('refuses an unknown field even when the rest of the body is also invalid', async () => {
		const { owner, project } = await researcher();
		const refused = await callJson<ErrorBody>(`/api/projects/${project.id}/interviewers`, {
			method: 'POST',
			json: { nmae: 'Typo' },
			as: owner.as
		});
		expectUnknownField(refused, ['nmae']);
	});

	it('refuses unknown fields on the auth routes Parley guards, and creates nobody', async () => {
		const email = uniqueEmail();
		const refused = await callJson<ErrorBody>('/api/auth/sign-up/email', {
			method: 'POST',
			json: { name: 'A', email, password: STRONG_PASSWORD, role: 'owner' }
		});
		expectUnknownField(refused, ['role']);
		const created = await env.DB.prepare('select count(*) as n from user where email = ?').bind(email).first<{ n: number }>();
		expect(created?.n).toBe(0);
	});

	it('describes every JSON request body as closed (additionalProperties: false) at every depth', async () => {
		const doc = await callJson<OpenApiDocument>('/api/openapi.json');
		const links = doc.body.paths['/api/interviewers/{interviewerId}/links']!.post!.requestBody!.content['application/json']!.schema;
		expect(links.additionalProperties).toBe(false);
		const bodies = Object.entries(doc.body.paths).flatMap(([path, operations]) =>
			Object.entries(operations).flatMap(([method, operation]) => {
				const schema = operation.requestBody?.content['application/json']?.schema;
				return schema ? [[`${method.toUpperCase()} ${path}`, schema] as const] : [];
			})
		);
		expect(bodies.length).toBeGreaterThan(15);
		expect(bodies.flatMap(([route, schema]) => openObjects(schema, route))).toEqual([]);
	});
});
