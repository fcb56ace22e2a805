import type { AddressPolicy, Resolver } from './address';
import { isLoopbackUrl } from '../../lib/origins';

const DOH_URL = 'https://cloudflare-dns.com/dns-query';
const RECORD_TYPES = { A: 1, AAAA: 28 } as const;

type DohAnswer = { Answer?: { type: number; data: string }[] };

/**
 * Workers cannot ask the system resolver, so host names are looked up over DNS-over-HTTPS.
 * Both A and AAAA records count: a host is refused when any of its addresses is private.
 */
export const resolveOverHttps: Resolver = async (hostname) => {
	const lookups = Object.entries(RECORD_TYPES).map(async ([name, type]) => {
		const url = `${DOH_URL}?name=${encodeURIComponent(hostname)}&type=${name}`;
		const response = await fetch(url, { headers: { Accept: 'application/dns-json' }, signal: AbortSignal.timeout(5_000) });
		if (!response.ok) throw new Error(`DNS lookup answered ${response.status}`);
		const answer = (await response.json()) as DohAnswer;
		return (answer.Answer ?? []).filter((record) => record.type === type).map((record) => record.data);
	});
	return (await Promise.all(lookups)).flat();
};

/** The deployment's policy: loopback endpoints only on a loopback development server. */
export function addressPolicy(env: Pick<Env, 'PUBLIC_BASE_URL'>, resolve: Resolver = resolveOverHttps): AddressPolicy {
	return { allowLoopback: isLoopbackUrl(env.PUBLIC_BASE_URL), resolve };
}
