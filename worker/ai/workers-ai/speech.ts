import { SAMPLE_RATE } from '../../contracts/protocol-constants';
import { logError } from '../../lib/log';
import { AURA_1_VOICES, AURA_2_ES_VOICES } from '../capabilities';
import type { SpeakingModel } from './languages';
import { AURA_2_ES_MODEL, type WorkersAi } from './models';
import { notPcm } from './pcm-check';

/** The voice among a model's speakers; the brief's voice was fitted to the language (fitBrief), so anything else takes the first. */
function speaker<Voice extends string>(voices: readonly [Voice, ...Voice[]], voice: string): Voice {
	return voices.find((candidate) => candidate === voice) ?? voices[0];
}

/** One sentence as an Aura model's input, asking for raw linear16 at the interview's rate. */
function speechInputs(model: SpeakingModel, text: string, voice: string): Ai_Cf_Deepgram_Aura_1_Input | Ai_Cf_Deepgram_Aura_2_Es_Input {
	const output = { encoding: 'linear16', container: 'none', sample_rate: SAMPLE_RATE } as const;
	return model === AURA_2_ES_MODEL
		? { text, speaker: speaker(AURA_2_ES_VOICES, voice), ...output }
		: { text, speaker: speaker(AURA_1_VOICES, voice), ...output };
}

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
export async function synthesize(ai: WorkersAi, model: SpeakingModel, text: string, voice: string): Promise<Uint8Array | null> {
	try {
		const response = await ai.run(model, speechInputs(model, text, voice), { returnRawResponse: true });
		const answer = await readAnswer(response);
		if ('pcm' in answer) return answer.pcm;
		logError('workers-ai.speech_skipped', new Error(`text-to-speech answered ${answer.refused}`), { model, chars: text.length });
	} catch (error) {
		logError('workers-ai.speech_skipped', error, { model, chars: text.length });
	}
	return null;
}
