import type { TestProject } from 'vitest/node';
import { CHROMIUM_INSTALL_COMMAND, findChromium } from './chromium';
import { startApp } from './server';

declare module 'vitest' {
	export interface ProvidedContext {
		baseUrl: string;
		chromiumPath: string;
	}
}

/** One `wrangler dev` for the whole e2e run; torn down even when tests fail. */
export default async function setup(project: TestProject) {
	const chromiumPath = findChromium();
	if (!chromiumPath) throw new Error(`Chromium is not installed. Install it with:\n  ${CHROMIUM_INSTALL_COMMAND}`);
	const app = await startApp();
	const stopOnSignal = () => void app.stop().finally(() => process.exit(130));
	process.once('SIGINT', stopOnSignal);
	process.once('SIGTERM', stopOnSignal);
	project.provide('baseUrl', app.url);
	project.provide('chromiumPath', chromiumPath);
	return async () => {
		process.off('SIGINT', stopOnSignal);
		process.off('SIGTERM', stopOnSignal);
		await app.stop();
	};
}
