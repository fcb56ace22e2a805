// After the upload: is the deployed app answering with the version just built, and what is left
// for its owner to set up (AI provider, Stripe, mail), said as commands to run.
import { envFlag, varsSection } from './deploy-checks.ts';

export type HealthResult = { ok: boolean; summary: string };

type Health = { status?: string; version?: string; checks?: Record<string, { ok?: boolean; ms?: number; error?: string }> };

function describe(health: Health): string {
	const checks = Object.entries(health.checks ?? {})
		.map(([name, check]) => `${name} ${check.ok ? `${check.ms ?? '?'} ms` : `failed${check.error ? ` (${check.error})` : ''}`}`)
		.join(', ');
	return `${health.status ?? 'no status'}, version ${health.version ?? 'unknown'}${checks ? `; ${checks}` : ''}`;
}

/**
 * Calls `<origin>/api/health` until it answers ok with the version just deployed: a new version
 * takes a few seconds to reach every edge, so an older one may answer first.
 */
export async function checkDeployedHealth(origin: string, buildVersion: string, attempts = 10, pauseMs = 3000): Promise<HealthResult> {
	let last = 'no answer';
	for (let attempt = 1; attempt <= attempts; attempt += 1) {
		try {
			const response = await fetch(new URL('/api/health', origin), { signal: AbortSignal.timeout(15_000) });
			const health = (await response.json()) as Health;
			last = `HTTP ${response.status}: ${describe(health)}`;
			if (response.ok && health.status === 'ok' && health.version === buildVersion) return { ok: true, summary: describe(health) };
		} catch (error) {
			last = error instanceof Error ? error.message : String(error);
		}
		if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, pauseMs));
	}
	return { ok: false, summary: last };
}

/** The workers.dev (or other) URL `wrangler deploy` printed under `Deployed <name> triggers`. */
export function deployedUrlOf(deployOutput: string): string | null {
	const lines = deployOutput.split('\n');
	const start = lines.findIndex((line) => /^Deployed \S+ triggers/.test(line.trim()));
	if (start === -1) return null;
	for (const line of lines.slice(start + 1)) {
		const url = /^\s+(https?:\/\/\S+)\s*$/.exec(line)?.[1];
		if (url) return url;
		if (!/^\s/.test(line)) break;
	}
	return null;
}

/** What to set next, leaving out the secrets the Worker already has. */
export function nextSteps(env: string | undefined, publicBaseUrl: string, secrets: string[]): string[] {
	const flag = envFlag(env);
	const missing = (name: string) => !secrets.includes(name);
	const steps: string[] = [];
	if (missing('OPENAI_API_KEY'))
		steps.push(
			`AI provider: \`npx wrangler secret put OPENAI_API_KEY${flag}\` for OpenAI Realtime voice and reports (until then interviews use the offline local interviewer), or set AI_PROVIDER = "workers-ai" in ${varsSection(env)} and deploy again.`
		);
	if (missing('STRIPE_SECRET_KEY') || missing('STRIPE_WEBHOOK_SECRET'))
		steps.push(
			`Stripe (Buy Tokens): \`npx wrangler secret put STRIPE_SECRET_KEY${flag}\` and \`npx wrangler secret put STRIPE_WEBHOOK_SECRET${flag}\`, with a Stripe webhook to ${publicBaseUrl}/api/billing/webhook.`
		);
	if (missing('MAIL_WEBHOOK_URL'))
		steps.push(
			`Mail (password resets, invitations): \`npx wrangler secret put MAIL_WEBHOOK_URL${flag}\` (and MAIL_WEBHOOK_TOKEN) for your mail relay; until then mail is not delivered.`
		);
	steps.push(`Logs: \`npx wrangler tail${flag}\`, or Workers Logs in the dashboard. Roll back: \`npx wrangler rollback${flag}\`.`);
	return steps;
}
