import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The speech fixtures the respondent plays: PCM16 mono 24 kHz from a WAV's data chunk, and the text it says. */

const SPEECH = resolve(import.meta.dirname, '../../test/fixtures/speech');

export type Speech = { name: string; pcm: Buffer; text: string; seconds: number };

export function speech(name: string): Speech {
	const file = readFileSync(resolve(SPEECH, `${name}.wav`));
	for (let offset = 12; offset + 8 <= file.byteLength;) {
		const id = file.toString('ascii', offset, offset + 4);
		const size = file.readUInt32LE(offset + 4);
		if (id === 'data') {
			const pcm = file.subarray(offset + 8, offset + 8 + size);
			return { name, pcm, text: readFileSync(resolve(SPEECH, `${name}.txt`), 'utf8').trim(), seconds: pcm.byteLength / 48_000 };
		}
		offset += 8 + size + (size % 2);
	}
	throw new Error(`no data chunk in ${name}.wav`);
}
