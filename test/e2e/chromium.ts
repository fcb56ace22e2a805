import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];
export const CHROMIUM_INSTALL_COMMAND = 'apt-get update && apt-get install -y --no-install-recommends chromium';

/** The Debian Chromium binary, or null. CHROMIUM_PATH overrides the search. */
export function findChromium(): string | null {
	const override = process.env.CHROMIUM_PATH;
	if (override) return existsSync(override) ? override : null;
	return CANDIDATES.find((candidate) => existsSync(candidate)) ?? null;
}
