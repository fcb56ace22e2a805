import { createRoute, z } from '@hono/zod-openapi';
import { capabilitiesOf, languageName, voicesFor } from '../ai/capabilities';
import { ProviderCapabilities } from '../contracts/providers';
import { workspaceProvider } from '../services/interviewers';
import { CreateInterviewer, Interviewer, UpdateInterviewer } from '../contracts/links';
import { createInterviewer, findInterviewerRow, listInterviewers, toInterviewer, updateInterviewer } from '../services/interviewers';
import { createRouter, requirePrincipal } from './context';
import { ERRORS, IdParam, json, jsonBody } from './openapi';

const tags = ['interviewers'];

const capabilities = createRoute({
	method: 'get',
	path: '/providers/current',
	operationId: 'getProviderCapabilities',
	tags,
	summary: "The workspace's AI provider: its voices, languages and longest interview",
	responses: { 200: json(ProviderCapabilities, 'Capabilities'), ...ERRORS }
});
const list = createRoute({
	method: 'get',
	path: '/projects/{projectId}/interviewers',
	operationId: 'listInterviewers',
	tags,
	summary: "A project's interviewers",
	request: { params: IdParam('projectId') },
	responses: { 200: json(z.object({ interviewers: z.array(Interviewer) }), 'Interviewers'), ...ERRORS }
});
const create = createRoute({
	method: 'post',
	path: '/projects/{projectId}/interviewers',
	operationId: 'createInterviewer',
	tags,
	summary: 'Set up an interviewer: voice, language, duration, topics, Live/Offline',
	request: {
		params: IdParam('projectId'),
		...jsonBody(CreateInterviewer, { name: 'Ava', durationMinutes: 15, topics: ['checkout', 'delivery'], language: 'en' })
	},
	responses: { 201: json(Interviewer, 'Created'), ...ERRORS, 422: ERRORS[400] }
});
const read = createRoute({
	method: 'get',
	path: '/interviewers/{interviewerId}',
	operationId: 'getInterviewer',
	tags,
	summary: 'An interviewer',
	request: { params: IdParam('interviewerId') },
	responses: { 200: json(Interviewer, 'The interviewer'), ...ERRORS }
});
const update = createRoute({
	method: 'patch',
	path: '/interviewers/{interviewerId}',
	operationId: 'updateInterviewer',
	tags,
	summary: 'Edit an interviewer; going Offline refuses every new join at once',
	request: { params: IdParam('interviewerId'), ...jsonBody(UpdateInterviewer, { status: 'offline' }) },
	responses: { 200: json(Interviewer, 'Updated'), ...ERRORS, 422: ERRORS[400] }
});

export function interviewerRoutes() {
	return createRouter()
		.openapi(capabilities, async (c) => {
			const caps = capabilitiesOf(await workspaceProvider(c.env, c.get('db'), requirePrincipal(c).workspaceId));
			const { languageVoices: _voices, unavailableLanguages, ...rest } = caps;
			return c.json(
				{
					...rest,
					voices: caps.voices ? [...caps.voices] : null,
					languages: caps.languages.map((code) => {
						const { voices, defaultVoice } = voicesFor(caps, code);
						return { code, name: languageName(code), voices: voices ? [...voices] : null, defaultVoice };
					}),
					unavailableLanguages: Object.entries(unavailableLanguages ?? {}).map(([code, reason]) => ({
						code,
						name: languageName(code),
						reason
					}))
				},
				200
			);
		})
		.openapi(list, async (c) =>
			c.json({ interviewers: await listInterviewers(c.get('db'), requirePrincipal(c), c.req.valid('param').projectId) }, 200)
		)
		.openapi(create, async (c) =>
			c.json(await createInterviewer(c.env, c.get('db'), requirePrincipal(c), c.req.valid('param').projectId, c.req.valid('json')), 201)
		)
		.openapi(read, async (c) =>
			c.json(toInterviewer(await findInterviewerRow(c.get('db'), requirePrincipal(c), c.req.valid('param').interviewerId)), 200)
		)
		.openapi(update, async (c) =>
			c.json(await updateInterviewer(c.env, c.get('db'), requirePrincipal(c), c.req.valid('param').interviewerId, c.req.valid('json')), 200)
		);
}
