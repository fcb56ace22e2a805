/** The `session.update` a bench client sends the fake upstream before streaming: PCM both ways, server VAD. */
export const ECHO_SESSION_UPDATE = JSON.stringify({
	type: 'session.update',
	session: {
		type: 'realtime',
		instructions: 'bench',
		audio: {
			input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: { type: 'server_vad' } },
			output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin' }
		}
	}
});
