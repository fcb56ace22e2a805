import { describe, expect, it } from 'vitest';
import { checkWebhookAddress, isBlockedAddress, type Resolver } from '../../worker/services/webhooks';

/** The webhook address rules, with a table resolver: nothing here sends a packet or asks a DNS server. */
const DNS: Record<string, string[]> = {
	'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
	'rebind.example.com': ['93.184.215.14', '10.1.2.3'],
	'metadata.example.com': ['169.254.169.254'],
	'v6-loopback.example.com': ['::1'],
	'mapped.example.com': ['::ffff:127.0.0.1'],
	'ula.example.com': ['fd00:ec2::254'],
	'nowhere.example.com': []
};
const asked: string[] = [];
const resolve: Resolver = async (hostname) => {
	asked.push(hostname);
	const addresses = DNS[hostname];
	if (!addresses) throw new Error(`unexpected lookup of ${hostname}`);
	return addresses;
};
const production = { allowLoopback: false, resolve };
const development = { allowLoopback: true, resolve };

describe('webhook addresses', () => {
	it('accepts an https URL whose host resolves only to public addresses', async () => {
		const check = await checkWebhookAddress('https://hooks.example.com/parley?x=1', production);
		expect(check).toMatchObject({ ok: true });
		expect(check.ok && check.url.toString()).toBe('https://hooks.example.com/parley?x=1');
	});

	const refused: [string, string, string][] = [
		['plain http', 'http://hooks.example.com/', 'https://'],
		['another scheme', 'ftp://hooks.example.com/', 'https://'],
		['not a URL', 'hooks.example.com/parley', 'full URL'],
		['credentials in the URL', 'https://user:pass@hooks.example.com/', 'user name'],
		['an IPv4 literal', 'https://93.184.215.14/', 'IP address'],
		['a private IPv4 literal', 'https://10.0.0.1/', 'IP address'],
		['the metadata address', 'https://169.254.169.254/latest/meta-data/', 'IP address'],
		['a decimal IPv4 literal (the URL parser makes it 127.0.0.1)', 'https://2130706433/', 'IP address'],
		['an IPv6 literal', 'https://[::1]/', 'IP address'],
		['localhost in production', 'https://localhost/', 'public internet'],
		['an internal name', 'https://metadata.google.internal/computeMetadata/v1/', 'public internet'],
		['a single-label name', 'https://intranet/', 'public internet'],
		['a host with a private address among public ones', 'https://rebind.example.com/', 'private or reserved'],
		['a host resolving to the metadata address', 'https://metadata.example.com/', 'private or reserved'],
		['a host resolving to IPv6 loopback', 'https://v6-loopback.example.com/', 'private or reserved'],
		['a host resolving to IPv4-mapped loopback', 'https://mapped.example.com/', 'private or reserved'],
		["a host resolving to AWS's IPv6 metadata address", 'https://ula.example.com/', 'private or reserved'],
		['a host with no address', 'https://nowhere.example.com/', 'does not resolve']
	];
	for (const [label, url, reason] of refused) {
		it(`refuses ${label}`, async () => {
			const check = await checkWebhookAddress(url, production);
			expect(check.ok).toBe(false);
			expect(!check.ok && check.reason).toContain(reason);
		});
	}

	it('never looks up a URL it can refuse by its text', async () => {
		asked.length = 0;
		for (const url of ['http://hooks.example.com/', 'https://10.0.0.1/', 'https://[fe80::1]/', 'https://x.internal/']) {
			await checkWebhookAddress(url, production);
		}
		expect(asked).toEqual([]);
	});

	it('allows http://127.0.0.1:<port> and localhost only on a loopback development server', async () => {
		for (const url of ['http://127.0.0.1:8788/hook', 'http://localhost:9000/hook']) {
			expect(await checkWebhookAddress(url, development)).toMatchObject({ ok: true });
			expect(await checkWebhookAddress(url, production)).toMatchObject({ ok: false });
		}
	});

	it('still refuses private and metadata addresses on a development server', async () => {
		for (const url of [
			'http://10.0.0.1:80/',
			'https://192.168.1.10/',
			'https://169.254.169.254/',
			'http://[::1]:8788/',
			'https://metadata.example.com/'
		]) {
			expect(await checkWebhookAddress(url, development), url).toMatchObject({ ok: false });
		}
	});

	it('classifies addresses by range', () => {
		const blocked = [
			'0.0.0.0',
			'10.255.0.1',
			'100.64.0.1',
			'100.100.100.200',
			'127.0.0.1',
			'127.1.2.3',
			'169.254.169.254',
			'172.16.0.1',
			'172.31.255.255',
			'192.168.0.1',
			'198.18.0.1',
			'224.0.0.1',
			'255.255.255.255',
			'::',
			'::1',
			'fc00::1',
			'fd00:ec2::254',
			'fe80::1',
			'ff02::1',
			'::ffff:10.0.0.1',
			'::ffff:169.254.169.254',
			'64:ff9b::a9fe:a9fe',
			'2001:db8::1',
			'not-an-address'
		];
		const allowed = ['8.8.8.8', '93.184.215.14', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'];
		for (const address of blocked) expect(isBlockedAddress(address), address).toBe(true);
		for (const address of allowed) expect(isBlockedAddress(address), address).toBe(false);
	});
});
