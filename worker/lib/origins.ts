const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopbackUrl(url: string): boolean {
	try {
		const host = new URL(url).hostname;
		return LOOPBACK_HOSTS.has(host) || host.endsWith('.localhost');
	} catch {
		return false;
	}
}

/** The public origin, plus its localhost/127.0.0.1 twin on loopback servers. */
export function trustedOrigins(publicBaseUrl: string): string[] {
	const base = new URL(publicBaseUrl);
	const origins = [base.origin];
	if (isLoopbackUrl(publicBaseUrl)) {
		for (const host of ['127.0.0.1', 'localhost']) {
			const twin = new URL(base.origin);
			twin.hostname = host;
			if (!origins.includes(twin.origin)) origins.push(twin.origin);
		}
	}
	return origins;
}

/** Browsers send Origin on every cross-origin or unsafe request; a mismatch is a CSRF attempt. */
export function isTrustedOrigin(origin: string | null, publicBaseUrl: string): boolean {
	return origin !== null && trustedOrigins(publicBaseUrl).includes(origin);
}
