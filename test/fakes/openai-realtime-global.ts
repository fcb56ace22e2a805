import type { TestProject } from 'vitest/node';
import { startFakeRealtime } from './openai-realtime';

/** Starts one fake OpenAI Realtime server for the workerd suite; tests find their sessions by a marker in the instructions. */
export default async function setup(project: TestProject) {
	const fake = await startFakeRealtime();
	project.provide('openaiRealtimeUrl', fake.url);
	project.provide('openaiApiKey', fake.apiKey);
	return () => fake.close();
}
