import { createRoute, z } from '@hono/zod-openapi';
import {
	AudioQuery,
	ExportQuery,
	RecordDetail,
	RecordListQuery,
	RecordSummary,
	TranscriptQuery,
	TranscriptTurn,
	UpdateRecord
} from '../contracts/records';
import { SetRecordQuality } from '../contracts/quality';
import { audioResponse, overrideRecordQuality } from '../services/records';
import { exportCsv, exportZip } from '../services/records';
import { deleteRecord, findRecordRow, getRecord, listRecordPage, readTranscript, updateRecord } from '../services/records';
import { renderMarkdown, renderText, renderVtt } from '../services/records';
import { requireOriginalTranscript, uploadRecord } from '../services/records';
import { projectPrivacy, redactUnprotected } from '../services/privacy';
import { NextCursor, PageQuery } from '../contracts/pagination';
import { createRouter, requirePrincipal } from './context';
import { ERRORS, IdParam, json, jsonBody, NO_CONTENT } from './openapi';

const tags = ['records'];
const projectParams = IdParam('projectId');
const params = IdParam('recordId');
const TEXT = { type: 'string' as const };
const file = (description: string) => ({
	description,
	content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } }
});

/** Documented as a plain schema: the handler reads and checks the multipart body itself, with its own error codes. */
const UPLOAD_FORM = {
	type: 'object' as const,
	properties: { file: { type: 'string' as const, format: 'binary' }, title: { type: 'string' as const, maxLength: 200 } },
	required: ['file']
};

const list = createRoute({
	method: 'get',
	path: '/projects/{projectId}/records',
	operationId: 'listRecords',
	tags,
	summary: 'A page of the records of a project, newest first, with search and filters',
	request: { params: projectParams, query: RecordListQuery.extend(PageQuery.shape) },
	responses: { 200: json(z.object({ records: z.array(RecordSummary), nextCursor: NextCursor }), 'Records'), ...ERRORS }
});
const upload = createRoute({
	method: 'post',
	path: '/projects/{projectId}/records',
	operationId: 'uploadRecord',
	tags,
	summary: 'Upload a transcript (.txt, .md, .vtt, .srt) or a recording (.wav, .mp3, .m4a, .webm, .ogg) as a record',
	request: {
		params: projectParams,
		body: { required: true, content: { 'multipart/form-data': { schema: UPLOAD_FORM } } }
	},
	responses: {
		201: json(RecordDetail, 'Created'),
		413: json(z.any(), 'Too large'),
		415: json(z.any(), 'Wrong file type'),
		422: json(z.any(), 'Invalid file'),
		...ERRORS
	}
});
const exportAll = createRoute({
	method: 'get',
	path: '/projects/{projectId}/records/export',
	operationId: 'exportRecords',
	tags,
	summary:
		'All records of a project as CSV, or their transcripts as a ZIP of Markdown files (the kept originals with original=true, owners and admins)',
	request: { params: projectParams, query: ExportQuery },
	responses: { 200: file('CSV or ZIP'), ...ERRORS }
});
const read = createRoute({
	method: 'get',
	path: '/records/{recordId}',
	operationId: 'getRecord',
	tags,
	summary: 'A record with its metadata',
	request: { params },
	responses: { 200: json(RecordDetail, 'The record'), ...ERRORS }
});
const update = createRoute({
	method: 'patch',
	path: '/records/{recordId}',
	operationId: 'updateRecord',
	tags,
	summary: 'Edit the notes, tags or title of a record',
	request: {
		params,
		...jsonBody(UpdateRecord, { title: 'Interview with a first-time buyer', tags: ['checkout'], notes: 'Hesitated at shipping costs.' })
	},
	responses: { 200: json(RecordDetail, 'Updated'), ...ERRORS }
});
const quality = createRoute({
	method: 'put',
	path: '/records/{recordId}/quality',
	operationId: 'setRecordQuality',
	tags,
	summary: 'Override the quality flag of a record (with an optional note), or clear the override with `flag: null`',
	request: { params, ...jsonBody(SetRecordQuality, { flag: 'ok', note: 'Short answers, but they answer every question.' }) },
	responses: { 200: json(RecordDetail, 'The record with its quality'), ...ERRORS }
});
const remove = createRoute({
	method: 'delete',
	path: '/records/{recordId}',
	operationId: 'deleteRecord',
	tags,
	summary: 'Delete a record with its transcript and audio',
	request: { params },
	responses: { ...NO_CONTENT, ...ERRORS }
});
const transcript = createRoute({
	method: 'get',
	path: '/records/{recordId}/transcript',
	operationId: 'getTranscript',
	tags,
	summary:
		'The transcript as JSON (the stored turns), plain text, Markdown or WebVTT; redacted as stored, or the kept original with original=true (owners and admins)',
	request: { params, query: TranscriptQuery },
	responses: {
		200: {
			description: 'The transcript',
			// The text formats are documented as plain schemas, so the typed client knows the JSON turns as the only body it parses.
			content: {
				'application/json': { schema: z.array(TranscriptTurn) },
				'text/plain': { schema: TEXT },
				'text/markdown': { schema: TEXT },
				'text/vtt': { schema: TEXT }
			}
		},
		...ERRORS
	}
});
const audio = createRoute({
	method: 'get',
	path: '/records/{recordId}/audio',
	operationId: 'getRecordAudio',
	tags,
	summary:
		'The recording, with byte-range support for seeking: both sides as one stereo WAV (respondent left, interviewer right) where the interviewer was recorded, or one side alone',
	request: { params, query: AudioQuery },
	responses: { 200: file('The audio'), 206: file('Part of the audio'), 416: { description: 'Range not satisfiable' }, ...ERRORS }
});

const UPLOAD_PATH = /^\/api\/projects\/[^/]+\/records\/?$/;

/** The upload path, when this request is an upload: exempt from the JSON-only guard, and its body is streamed, never buffered. */
export const uploadPaths = (method: string, path: string): string[] => (method === 'POST' && UPLOAD_PATH.test(path) ? [path] : []);

const attachment = (name: string) => `attachment; filename="${name.replace(/[^\w.@-]+/g, '-')}"`;
const TRANSCRIPT_TYPES = {
	json: 'application/json',
	txt: 'text/plain; charset=utf-8',
	md: 'text/markdown; charset=utf-8',
	vtt: 'text/vtt; charset=utf-8'
} as const;

export function recordRoutes() {
	return createRouter()
		.openapi(list, async (c) => {
			const { limit, cursor, ...filters } = c.req.valid('query');
			return c.json(
				await listRecordPage(c.get('db'), requirePrincipal(c), c.req.valid('param').projectId, filters, { limit, cursor }),
				200
			);
		})
		.openapi(exportAll, async (c) => {
			const principal = requirePrincipal(c);
			const { projectId } = c.req.valid('param');
			const stamp = new Date().toISOString().slice(0, 10);
			const { format, original } = c.req.valid('query');
			const options = { original: original === 'true' };
			if (format === 'zip') {
				const bytes = await exportZip(c.env, c.get('db'), principal, projectId, options);
				return c.body(bytes, 200, { 'Content-Type': 'application/zip', 'Content-Disposition': attachment(`records-${stamp}.zip`) });
			}
			const csv = await exportCsv(c.get('db'), principal, projectId, options);
			return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachment(`records-${stamp}.csv`) });
		})
		.openapi(upload, async (c) => {
			const created = await uploadRecord(c.env, c.get('db'), requirePrincipal(c), c.req.valid('param').projectId, {
				stream: c.req.raw.body,
				contentType: c.req.header('Content-Type') ?? ''
			});
			return c.json(created, 201);
		})
		.openapi(read, async (c) => c.json(await getRecord(c.get('db'), c.env.FILES, requirePrincipal(c), c.req.valid('param').recordId), 200))
		.openapi(update, async (c) =>
			c.json(await updateRecord(c.get('db'), c.env.FILES, requirePrincipal(c), c.req.valid('param').recordId, c.req.valid('json')), 200)
		)
		.openapi(quality, async (c) =>
			c.json(
				await overrideRecordQuality(c.get('db'), c.env.FILES, requirePrincipal(c), c.req.valid('param').recordId, c.req.valid('json')),
				200
			)
		)
		.openapi(remove, async (c) => {
			await deleteRecord(c.get('db'), c.env.FILES, requirePrincipal(c), c.req.valid('param').recordId);
			return c.body(null, 204);
		})
		.openapi(transcript, async (c) => {
			const principal = requirePrincipal(c);
			const row = await findRecordRow(c.get('db'), principal, c.req.valid('param').recordId);
			const { format, original } = c.req.valid('query');
			const stored =
				original === 'true'
					? await requireOriginalTranscript(c.env, principal, row)
					: redactUnprotected(await readTranscript(c.env.FILES, row), row, await projectPrivacy(c.get('db'), row.projectId));
			const body =
				format === 'json'
					? JSON.stringify(stored.turns)
					: format === 'txt'
						? renderText(stored, row.title)
						: format === 'md'
							? renderMarkdown(stored, row.title)
							: renderVtt(stored);
			const headers: Record<string, string> = { 'Content-Type': TRANSCRIPT_TYPES[format] };
			if (c.req.query('download') !== undefined) headers['Content-Disposition'] = attachment(`${row.title}.${format}`);
			return c.body(body, 200, headers);
		})
		.openapi(audio, async (c) => {
			const row = await findRecordRow(c.get('db'), requirePrincipal(c), c.req.valid('param').recordId);
			const { track, download } = c.req.valid('query');
			return audioResponse(c.env.FILES, row, c.req.header('Range') ?? null, { track, download: download !== undefined });
		});
}
