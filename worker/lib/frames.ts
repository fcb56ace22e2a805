import { ClientMessage, type SocketErrorCode, MAX_AUDIO_FRAME_BYTES, MAX_TEXT_FRAME_BYTES, PROTOCOL_VERSION } from '../contracts/protocol';

export type ParsedFrame =
	| { kind: 'audio'; pcm: ArrayBuffer }
	| { kind: 'message'; message: ClientMessage }
	| { kind: 'invalid'; code: SocketErrorCode; message: string };

const invalid = (code: SocketErrorCode, message: string): ParsedFrame => ({ kind: 'invalid', code, message });

/** Validates one client frame against protocol v1 before anything acts on it. */
export function parseClientFrame(frame: string | ArrayBuffer): ParsedFrame {
	if (typeof frame !== 'string') {
		if (frame.byteLength > MAX_AUDIO_FRAME_BYTES)
			return invalid('frame_too_large', `Audio frames are at most ${MAX_AUDIO_FRAME_BYTES} bytes (100 ms).`);
		if (frame.byteLength === 0 || frame.byteLength % 2 !== 0)
			return invalid('bad_audio', 'Audio frames are PCM16: a non-empty, even number of bytes.');
		return { kind: 'audio', pcm: frame };
	}
	if (frame.length > MAX_TEXT_FRAME_BYTES) return invalid('frame_too_large', `Text frames are at most ${MAX_TEXT_FRAME_BYTES} bytes.`);
	let json: unknown;
	try {
		json = JSON.parse(frame);
	} catch {
		return invalid('invalid_json', 'Text frames must be JSON.');
	}
	const parsed = ClientMessage.safeParse(json);
	if (!parsed.success) {
		const type = typeof json === 'object' && json !== null && 'type' in json ? String((json as { type: unknown }).type) : '';
		return ClientMessage.options.some((option) => option.shape.type.value === type)
			? invalid('invalid_message', `The "${type}" frame is malformed.`)
			: invalid('unknown_type', `Unknown frame type "${type}".`);
	}
	if (parsed.data.type === 'hello' && parsed.data.protocol !== PROTOCOL_VERSION) {
		return invalid('unsupported_protocol', `This server speaks protocol ${PROTOCOL_VERSION}.`);
	}
	return { kind: 'message', message: parsed.data };
}
