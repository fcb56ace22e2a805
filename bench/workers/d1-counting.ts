/**
 * The app's own Worker with every D1 round trip counted, for `bench/d1.ts`. It is a separate entry
 * that `wrangler dev` runs in place of `worker/index.ts`: production code is unchanged and never
 * loads this file. Every query the binding sends — `prepare().run/all/first/raw`, `batch`, `exec`,
 * through a session or not — leaves through one method of workerd's D1 session class (`_send`, or
 * `_queryOrThrow` with the JSRPC binding), which this file wraps once per isolate. The Worker, the
 * Interview Durable Object and the queue consumer share that isolate under `wrangler dev`, so one
 * tally sees them all. `GET /__bench/d1` answers the tally; `POST /__bench/d1` also resets it.
 */
import parley, { Interview as ParleyInterview } from '../../worker/index';

type Tally = {
	roundTrips: number;
	statements: number;
	reads: number;
	writes: number;
	/** Reads sent by a session that holds a bookmark: D1 may serve them from a read replica. */
	replicaReads: number;
	/** Statements per table named first in the SQL (FROM, INTO or UPDATE). */
	tables: Record<string, number>;
};

const emptyTally = (): Tally => ({ roundTrips: 0, statements: 0, reads: 0, writes: 0, replicaReads: 0, tables: {} });
let tally = emptyTally();

const isRead = (sql: string) => /^\s*(select|with|pragma)\b/i.test(sql);

/**
 * Counts one round trip. A session answers `getBookmark()` with a bookmark once it has one (or was
 * opened from one); the binding's own always-primary session and a session still waiting for its
 * first primary answer give null, so their reads go to the primary. A round trip with a write goes
 * to the primary whatever the session.
 */
function countRoundTrip(session: unknown, statements: string[]): void {
	tally.roundTrips += 1;
	const bookmarked =
		typeof (session as { getBookmark?: () => unknown }).getBookmark === 'function' && (session as D1DatabaseSession).getBookmark() !== null;
	const readOnly = statements.every(isRead);
	for (const sql of statements) countStatement(sql, bookmarked && readOnly);
}

function countStatement(sql: string, replica: boolean): void {
	tally.statements += 1;
	if (isRead(sql)) tally.reads += 1;
	else tally.writes += 1;
	if (replica) tally.replicaReads += 1;
	const table = /\b(?:from|into|update)\s+[`"[]?(\w+)/i.exec(sql)?.[1] ?? 'other';
	tally.tables[table] = (tally.tables[table] ?? 0) + 1;
}

type SessionInternals = Record<string, unknown> & {
	_send?: (endpoint: string, query: string | string[], ...rest: unknown[]) => Promise<unknown>;
	_queryOrThrow?: (request: { queries: Array<{ sql: string }> }, ...rest: unknown[]) => Promise<unknown>;
};

let wrapped = false;

/** Wraps the session class's transport methods; fails loudly if workerd's D1 binding no longer has them. */
function countD1(db: D1Database): void {
	if (wrapped) return;
	const proto = Object.getPrototypeOf(db.withSession('first-primary')) as SessionInternals;
	const send = proto._send;
	const query = proto._queryOrThrow;
	if (typeof send !== 'function') throw new Error('workerd D1 binding has no _send: the D1 counting bench needs updating');
	proto._send = function (this: unknown, endpoint, sql, ...rest) {
		countRoundTrip(this, Array.isArray(sql) ? sql : [sql]);
		return send.call(this, endpoint, sql, ...rest);
	};
	if (typeof query === 'function') {
		proto._queryOrThrow = function (this: unknown, request, ...rest) {
			countRoundTrip(
				this,
				request.queries.map((statement) => statement.sql)
			);
			return query.call(this, request, ...rest);
		};
	}
	wrapped = true;
}

/** The app's Interview object, counted from its first query even if it wakes before any request reaches the Worker. */
export class Interview extends ParleyInterview {
	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		countD1(env.DB);
	}
}

export default {
	fetch(request, env, ctx) {
		countD1(env.DB);
		const { pathname } = new URL(request.url);
		if (pathname === '/__bench/d1') {
			const answer = Response.json(tally);
			if (request.method === 'POST') tally = emptyTally();
			return answer;
		}
		return parley.fetch(request, env, ctx);
	},
	queue(batch, env, ctx) {
		countD1(env.DB);
		return parley.queue(batch, env, ctx);
	},
	scheduled(controller, env, ctx) {
		countD1(env.DB);
		return parley.scheduled(controller, env, ctx);
	}
} satisfies ExportedHandler<Env, unknown>;
