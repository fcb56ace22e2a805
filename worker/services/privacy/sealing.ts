import { Buffer } from 'node:buffer';
import { signingSecret } from '../accounts';

/**
 * The kept original of a redacted transcript, sealed at rest: AES-GCM under a key derived per
 * workspace (HKDF-SHA-256 from the deployment's signing secret, the workspace id as the info), so
 * the bytes in R2 reveal nothing, and one workspace's key opens no other workspace's originals.
 */

const IV_BYTES = 12;
const VERSION = 1;

export type SecretEnv = Pick<Env, 'BETTER_AUTH_SECRET'>;

async function workspaceKey(env: SecretEnv, workspaceId: string): Promise<CryptoKey> {
	const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(signingSecret(env)), 'HKDF', false, ['deriveKey']);
	return crypto.subtle.deriveKey(
		{
			name: 'HKDF',
			hash: 'SHA-256',
			salt: new TextEncoder().encode('parley:kept-originals'),
			info: new TextEncoder().encode(`workspace:${workspaceId}`)
		},
		material,
		{ name: 'AES-GCM', length: 256 },
		false,
		['encrypt', 'decrypt']
	);
}

/** The bytes to store: a version byte, the IV, then the ciphertext of `plain` bound to its workspace. */
export async function sealOriginal(env: SecretEnv, workspaceId: string, plain: string): Promise<Uint8Array> {
	const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
	const sealed = await crypto.subtle.encrypt(
		{ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(workspaceId) },
		await workspaceKey(env, workspaceId),
		new TextEncoder().encode(plain)
	);
	return Buffer.concat([Uint8Array.of(VERSION), iv, new Uint8Array(sealed)]);
}

/** The plain text, or null for bytes this deployment did not seal for this workspace. */
export async function openOriginal(env: SecretEnv, workspaceId: string, bytes: Uint8Array): Promise<string | null> {
	if (bytes.byteLength <= 1 + IV_BYTES || bytes[0] !== VERSION) return null;
	try {
		const plain = await crypto.subtle.decrypt(
			{ name: 'AES-GCM', iv: bytes.subarray(1, 1 + IV_BYTES), additionalData: new TextEncoder().encode(workspaceId) },
			await workspaceKey(env, workspaceId),
			bytes.subarray(1 + IV_BYTES)
		);
		return new TextDecoder().decode(plain);
	} catch {
		return null;
	}
}
