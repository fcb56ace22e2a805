/**
 * The fake's session configuration, validated as OpenAI validates a `session.update`: a refused
 * update is answered with an `error` (type `invalid_request_error`, a code and the `param` at fault)
 * and changes nothing, so the session keeps what it had (OpenAI's defaults on a new one).
 */
import type { RealtimeError, RealtimeSessionCreateRequest } from 'openai/resources/realtime/realtime';

export const VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', 'cedar'];
export const DEFAULT_INSTRUCTIONS = 'You are a helpful, witty, and friendly AI.';

/** A session's configuration: the SDK's shape, read field by field as the client sent it. */
export type SessionConfig = RealtimeSessionCreateRequest & Record<string, any>;

/** What a new session runs, as `session.created` shows it. */
export const defaultSession = (model: string | null): SessionConfig => ({
	type: 'realtime',
	...(model ? { model } : {}),
	instructions: DEFAULT_INSTRUCTIONS,
	output_modalities: ['audio'],
	max_output_tokens: 'inf',
	audio: {
		input: {
			format: { type: 'audio/pcm', rate: 24_000 },
			turn_detection: {
				type: 'server_vad',
				threshold: 0.5,
				prefix_padding_ms: 300,
				silence_duration_ms: 500,
				create_response: true,
				interrupt_response: true,
				idle_timeout_ms: null
			}
		},
		output: { format: { type: 'audio/pcm', rate: 24_000 }, voice: 'alloy', speed: 1 }
	}
});

type Refusal = Omit<RealtimeError, 'event_id'>;
const invalid = (code: string, param: string, message: string): Refusal => ({ type: 'invalid_request_error', code, param, message });
const unknownParameter = (param: string) => invalid('unknown_parameter', param, `Unknown parameter: '${param}'.`);
const invalidValue = (param: string, value: unknown, supported?: readonly string[]) =>
	invalid(
		'invalid_value',
		param,
		`Invalid value: '${typeof value === 'string' ? value : JSON.stringify(value)}'.` +
			(supported ? ` Supported values are: ${supported.map((each) => `'${each}'`).join(', ')}.` : '')
	);

const isObject = (value: unknown): value is Record<string, any> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;

const SESSION_KEYS = [
	'type',
	'model',
	'instructions',
	'output_modalities',
	'audio',
	'max_output_tokens',
	'tools',
	'tool_choice',
	'tracing',
	'truncation',
	'prompt',
	'include',
	'reasoning',
	'parallel_tool_calls'
];
const SERVER_VAD_KEYS = [
	'type',
	'threshold',
	'prefix_padding_ms',
	'silence_duration_ms',
	'create_response',
	'interrupt_response',
	'idle_timeout_ms'
];
const SEMANTIC_VAD_KEYS = ['type', 'eagerness', 'create_response', 'interrupt_response'];

function unknownKey(value: Record<string, any>, allowed: readonly string[], path: string): Refusal | null {
	const extra = Object.keys(value).find((key) => !allowed.includes(key));
	return extra ? unknownParameter(`${path}.${extra}`) : null;
}

function checkFormat(format: unknown, path: string): Refusal | null {
	if (format === undefined) return null;
	if (!isObject(format)) return invalidValue(path, format);
	if (!['audio/pcm', 'audio/pcmu', 'audio/pcma'].includes(format.type))
		return invalidValue(`${path}.type`, format.type, ['audio/pcm', 'audio/pcmu', 'audio/pcma']);
	if (format.type === 'audio/pcm' && format.rate !== undefined && format.rate !== 24_000)
		return invalidValue(`${path}.rate`, format.rate, ['24000']);
	return null;
}

/** Both modes of turn detection, each with its own fields; `semanticVad` false: this session cannot run it. */
function checkTurnDetection(detection: unknown, semanticVad: boolean): Refusal | null {
	const path = 'session.audio.input.turn_detection';
	if (detection === undefined || detection === null) return null;
	if (!isObject(detection)) return invalidValue(path, detection);
	const flags = ['create_response', 'interrupt_response'].find((key) => key in detection && typeof detection[key] !== 'boolean');
	if (flags) return invalid('invalid_type', `${path}.${flags}`, `Invalid type for '${path}.${flags}': expected a boolean.`);
	if (detection.type === 'semantic_vad') {
		if (!semanticVad)
			return invalid('invalid_value', `${path}.type`, "Invalid value: 'semantic_vad'. Semantic VAD is not available for this session.");
		if ('eagerness' in detection && !['low', 'medium', 'high', 'auto'].includes(detection.eagerness))
			return invalidValue(`${path}.eagerness`, detection.eagerness, ['low', 'medium', 'high', 'auto']);
		return unknownKey(detection, SEMANTIC_VAD_KEYS, path);
	}
	if (detection.type === 'server_vad') {
		const unknown = unknownKey(detection, SERVER_VAD_KEYS, path);
		if (unknown) return unknown;
		if ('threshold' in detection && !(typeof detection.threshold === 'number' && detection.threshold >= 0 && detection.threshold <= 1))
			return invalidValue(`${path}.threshold`, detection.threshold);
		for (const key of ['prefix_padding_ms', 'silence_duration_ms'])
			if (key in detection && !isCount(detection[key])) return invalidValue(`${path}.${key}`, detection[key]);
		if ('idle_timeout_ms' in detection && detection.idle_timeout_ms !== null && !isCount(detection.idle_timeout_ms))
			return invalidValue(`${path}.idle_timeout_ms`, detection.idle_timeout_ms);
		return null;
	}
	return invalidValue(`${path}.type`, detection.type, ['server_vad', 'semantic_vad']);
}

function checkAudio(audio: unknown, current: SessionConfig, spoke: boolean, semanticVad: boolean): Refusal | null {
	if (audio === undefined) return null;
	if (!isObject(audio)) return invalidValue('session.audio', audio);
	const input = audio.input ?? {};
	const output = audio.output ?? {};
	const refusal =
		unknownKey(audio, ['input', 'output'], 'session.audio') ??
		unknownKey(input, ['format', 'transcription', 'noise_reduction', 'turn_detection'], 'session.audio.input') ??
		unknownKey(output, ['format', 'voice', 'speed'], 'session.audio.output') ??
		checkFormat(input.format, 'session.audio.input.format') ??
		checkFormat(output.format, 'session.audio.output.format') ??
		checkTurnDetection(input.turn_detection, semanticVad);
	if (refusal) return refusal;
	if (isObject(input.transcription) && typeof input.transcription.model !== 'string')
		return invalidValue('session.audio.input.transcription.model', input.transcription.model);
	const voice = output.voice;
	if (voice === undefined || isObject(voice)) return null;
	if (!VOICES.includes(voice)) return invalidValue('session.audio.output.voice', voice, VOICES);
	if (spoke && voice !== current.audio?.output?.voice)
		return invalid(
			'cannot_update_voice',
			'session.audio.output.voice',
			"Cannot update a conversation's voice if assistant audio is present."
		);
	return null;
}

/** Fields an update leaves out keep their value; objects merge, anything else (arrays, null) replaces. */
function merge(base: Record<string, any>, update: Record<string, any>): Record<string, any> {
	const out: Record<string, any> = { ...base };
	for (const [key, value] of Object.entries(update)) out[key] = isObject(value) && isObject(base[key]) ? merge(base[key], value) : value;
	return out;
}

/**
 * The configuration after a `session.update`, or why OpenAI refuses it. `spoke`: the session has
 * produced assistant audio, after which its voice can no longer change.
 */
export function updateSession(
	current: SessionConfig,
	update: unknown,
	context: { spoke: boolean; semanticVad: boolean }
): { session: SessionConfig } | { refusal: Refusal } {
	if (!isObject(update)) return { refusal: invalidValue('session', update) };
	if (update.type !== 'realtime')
		return { refusal: invalid('missing_required_parameter', 'session.type', "Missing or invalid 'session.type': it must be 'realtime'.") };
	const unknown = unknownKey(update, SESSION_KEYS, 'session');
	if (unknown) return { refusal: unknown };
	const modalities = update.output_modalities;
	if (modalities !== undefined && !(Array.isArray(modalities) && modalities.length === 1 && ['audio', 'text'].includes(modalities[0])))
		return { refusal: invalidValue('session.output_modalities', modalities, ['audio', 'text']) };
	const refusal = checkAudio(update.audio, current, context.spoke, context.semanticVad);
	if (refusal) return { refusal };
	return { session: merge(current, update) as SessionConfig };
}
