type Check = { ok: boolean; ms: number; error?: string };

async function timed(probe: () => Promise<unknown>): Promise<Check> {
	const started = performance.now();
	try {
		await probe();
		return { ok: true, ms: Math.round(performance.now() - started) };
	} catch (error) {
		return { ok: false, ms: Math.round(performance.now() - started), error: error instanceof Error ? error.message : 'failed' };
	}
}

/** Probes each store with the cheapest real round trip it offers. */
export async function checkHealth(env: Pick<Env, 'DB' | 'LINKS' | 'FILES'>) {
	const [db, kv, r2] = await Promise.all([
		timed(() => env.DB.prepare('select 1').first()),
		timed(() => env.LINKS.get('health:probe')),
		timed(() => env.FILES.head('health/probe'))
	]);
	const status: 'ok' | 'degraded' = db.ok && kv.ok && r2.ok ? 'ok' : 'degraded';
	return { status, checks: { db, kv, r2 } };
}
