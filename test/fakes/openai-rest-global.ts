import type { TestProject } from 'vitest/node';
import { startFakeOpenAiRest } from './openai-rest';

/** Starts one fake of OpenAI's REST transcription endpoint for the workerd suite; tests tell their requests apart by file name. */
export default async function setup(project: TestProject) {
	const fake = await startFakeOpenAiRest();
	project.provide('openaiRestUrl', fake.url);
	project.provide('openaiRestKey', fake.apiKey);
	return () => fake.close();
}
