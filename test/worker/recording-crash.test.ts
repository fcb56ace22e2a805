import { describe, expect, it } from 'vitest';
import { BYTES_PER_MS, FRAME_BYTES } from '../../worker/contracts/protocol-constants';
import { crash, linkObject, stored } from './helpers/durable';
import { join, pcmFrame, respondent } from './helpers/interview';
import { openaiInterview, sessions, turnsOf, useOpenAi } from './helpers/openai';
import { followPlayback } from './helpers/playback';

/**
 * Invariant 6 for both tracks: the recording stores what the respondent and the interviewer said in
 * one write every 250 ms, so an abrupt end of the process loses at most 250 ms of either.
 */

useOpenAi();

/** The most audio of either track an abrupt end of the process may lose. */
const CRASH_LOSS_MS = 250;

describe('an abrupt end of the process', () => {
	it('loses at most 250 ms of the interviewer’s audio as well as of the respondent’s', async () => {
		const { marker, token, linkId } = await openaiInterview();
		const joined = await join(token, { email: respondent() });
		const playback = followPlayback(joined);
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
		const [greeted] = await sessions(marker);
		const interviewerBytes = greeted!.replies[0]!.audioBytes;
		await playback.played(interviewerBytes);
		const frames = 45;
		for (let index = 0; index < frames; index += 1) joined.socket.send(pcmFrame(false));
		joined.socket.send(JSON.stringify({ type: 'ping' }));
		await joined.next('state');

		const stub = linkObject(linkId);
		await crash();
		const kept = await stored(stub, (store) => {
			const bytesOf = (track: 'respondent' | 'interviewer') =>
				[...store.audioChunks(track)].reduce((sum, chunk) => sum + chunk.pcm.byteLength, 0);
			return { respondent: bytesOf('respondent'), interviewer: bytesOf('interviewer') };
		});
		expect(kept.interviewer).toBeGreaterThanOrEqual(interviewerBytes - CRASH_LOSS_MS * BYTES_PER_MS);
		expect(kept.respondent).toBeGreaterThanOrEqual(frames * FRAME_BYTES - CRASH_LOSS_MS * BYTES_PER_MS);
	});
});
