/**
 * Which URLs a webhook may post to. Parley posts from inside its own network position, so an
 * address that reaches loopback, a private network, link-local space or a cloud metadata service
 * would let anyone with an admin role probe what only Parley can reach (SSRF). The check runs
 * when an endpoint is saved and again before every delivery, since DNS can change in between.
 */

/** Resolves a host name to its IPv4 and IPv6 addresses (an empty list when it has none). */
export type Resolver = (hostname: string) => Promise<string[]>;

export type AddressPolicy = {
	/** A loopback development server: `http://127.0.0.1:<port>` (and localhost) endpoints are allowed. */
	allowLoopback: boolean;
	resolve: Resolver;
};

export type AddressCheck = { ok: true; url: URL } | { ok: false; reason: string };

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost']);
const INTERNAL_SUFFIXES = ['.localhost', '.local', '.internal', '.home.arpa'];

type Cidr = [network: number, bits: number];
const v4 = (text: string): number => text.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
const cidr = (text: string): Cidr => {
	const [network = '', bits = '32'] = text.split('/');
	return [v4(network), Number(bits)];
};

/** IPv4 space that is not the public internet: loopback, private, CGNAT, link-local (metadata), documentation, multicast, reserved. */
const BLOCKED_V4: Cidr[] = [
	'0.0.0.0/8',
	'10.0.0.0/8',
	'100.64.0.0/10',
	'127.0.0.0/8',
	'169.254.0.0/16',
	'172.16.0.0/12',
	'192.0.0.0/24',
	'192.0.2.0/24',
	'192.88.99.0/24',
	'192.168.0.0/16',
	'198.18.0.0/15',
	'198.51.100.0/24',
	'203.0.113.0/24',
	'224.0.0.0/4',
	'240.0.0.0/4'
].map(cidr);

const inRange = (address: number, [network, bits]: Cidr) =>
	bits === 0 || Math.floor(address / 2 ** (32 - bits)) === Math.floor(network / 2 ** (32 - bits));

function isIpv4(text: string): boolean {
	const parts = text.split('.');
	return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
}

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail becomes the last two), or null. */
function ipv6Groups(text: string): number[] | null {
	let rest = text.toLowerCase();
	const lastColon = rest.lastIndexOf(':');
	const dotted = rest.slice(lastColon + 1);
	if (dotted.includes('.')) {
		if (!isIpv4(dotted)) return null;
		const value = v4(dotted);
		rest = `${rest.slice(0, lastColon + 1)}${Math.floor(value / 65536).toString(16)}:${(value % 65536).toString(16)}`;
	}
	const halves = rest.split('::');
	if (halves.length > 2) return null;
	const parse = (part: string) => (part ? part.split(':').map((group) => (/^[0-9a-f]{1,4}$/.test(group) ? parseInt(group, 16) : NaN)) : []);
	const head = parse(halves[0] ?? '');
	const back = parse(halves[1] ?? '');
	const missing = 8 - head.length - back.length;
	if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
	const groups = [...head, ...Array<number>(missing).fill(0), ...back];
	return groups.some(Number.isNaN) ? null : groups;
}

function blockedV6(groups: number[]): boolean {
	const [first = 0] = groups;
	const embeddedV4 = () => (groups[6] ?? 0) * 65536 + (groups[7] ?? 0);
	if (groups.slice(0, 7).every((group) => group === 0) && (groups[7] === 0 || groups[7] === 1)) return true; // :: and ::1
	if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff)
		return BLOCKED_V4.some((range) => inRange(embeddedV4(), range));
	if (first === 0x64 && groups[1] === 0xff9b) return BLOCKED_V4.some((range) => inRange(embeddedV4(), range)); // NAT64
	if ((first & 0xfe00) === 0xfc00) return true; // unique local, including AWS's fd00:ec2::254 metadata
	if ((first & 0xffc0) === 0xfe80) return true; // link-local
	if ((first & 0xff00) === 0xff00) return true; // multicast
	if (first === 0x2001 && groups[1] === 0x0db8) return true; // documentation
	return first === 0 || first === 0x100;
}

/** Whether an IP address (v4 or v6, without brackets) is outside the public internet. */
export function isBlockedAddress(address: string): boolean {
	if (isIpv4(address)) return BLOCKED_V4.some((range) => inRange(v4(address), range));
	const groups = ipv6Groups(address);
	return groups === null || blockedV6(groups);
}

const isIpLiteral = (hostname: string) => isIpv4(hostname) || hostname.startsWith('[');

/** Checks a webhook URL against the policy; the reason is a sentence for the admin. */
export async function checkWebhookAddress(raw: string, policy: AddressPolicy): Promise<AddressCheck> {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return { ok: false, reason: 'Enter a full URL, starting with https://.' };
	}
	if (url.username || url.password) return { ok: false, reason: 'Webhook URLs cannot carry a user name or password.' };
	const hostname = url.hostname.toLowerCase();
	if (policy.allowLoopback && LOOPBACK_NAMES.has(hostname) && (url.protocol === 'http:' || url.protocol === 'https:')) {
		return { ok: true, url };
	}
	if (url.protocol !== 'https:') return { ok: false, reason: 'Webhook URLs must start with https://.' };
	if (isIpLiteral(hostname)) return { ok: false, reason: 'Use a host name, not an IP address.' };
	if (hostname === 'localhost' || INTERNAL_SUFFIXES.some((suffix) => hostname.endsWith(suffix)) || !hostname.includes('.')) {
		return { ok: false, reason: 'That host is not on the public internet.' };
	}
	let addresses: string[];
	try {
		addresses = await policy.resolve(hostname);
	} catch {
		return { ok: false, reason: `Could not look up ${hostname}; try again.` };
	}
	if (addresses.length === 0) return { ok: false, reason: `${hostname} does not resolve to an address.` };
	if (addresses.some(isBlockedAddress)) return { ok: false, reason: `${hostname} resolves to a private or reserved address.` };
	return { ok: true, url };
}
