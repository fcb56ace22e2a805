import { SAMPLE_RATE } from '../../contracts/protocol-constants';
import { AURA_1_VOICES } from '../capabilities';
import { logError } from '../../lib/log';
import { TTS_MODEL, type WorkersAi } from './models';
import { notPcm } from './pcm-check';

type AuraSpeaker = (typeof AURA_1_VOICES)[number];
const isAuraSpeaker = (voice: string): voice is AuraSpeaker => (AURA_1_VOICES as readonly string[]).includes(voice);
/** The brief's voice was fitted to this provider's voices (fitBrief); anything else speaks with the default. */
const auraSpeaker = (voice: string): AuraSpeaker => (isAuraSpeaker(voice) ? voice : AURA_1_VOICES[0]);

/** Aura's answer to one sentence: its PCM, or why it cannot be played (from its status, its label and its bytes). */
async function readAnswer(response: Response): Promise<{ pcm: Uint8Array } | { refused: string }> {
	if (!response.ok) return { refused: `HTTP ${response.status}: ${(await response.text()).slice(0, 300)}` };
	const bytes = new Uint8Array(await response.arrayBuffer());
	const refused = notPcm(response.headers.get('content-type'), bytes);
	return refused ? { refused } : { pcm: bytes };
}

/**
 * One sentence spoken by Aura as PCM16LE mono 24 kHz, or null when it could not be: the request
 * failed, or what came back is not raw PCM (an error, an MP3, a WAV). A bad sentence is logged and
 * left unspoken; playing its bytes would be noise, and the reply's text is kept either way.
 */
export async function synthesize(ai: WorkersAi, text: string, voice: string): Promise<Uint8Array | null> {
	try {
		const response = await ai.run(
			TTS_MODEL,
			{ text, speaker: auraSpeaker(voice), encoding: 'linear16', container: 'none', sample_rate: SAMPLE_RATE },
			{ returnRawResponse: true }
		);
		const answer = await readAnswer(response);
		if ('pcm' in answer) return answer.pcm;
		logError('workers-ai.speech_skipped', new Error(`text-to-speech answered ${answer.refused}`), { model: TTS_MODEL, chars: text.length });
	} catch (error) {
		logError('workers-ai.speech_skipped', error, { model: TTS_MODEL, chars: text.length });
	}
	return null;
}
