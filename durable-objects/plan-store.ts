import type { CoverageStatus } from '../worker/contracts/protocol';
import type { Plan, QuestionCoverage } from './plan';

type CoverageRow = {
	question_id: string;
	status: CoverageStatus;
	asked_turn_id: string | null;
	asked_at_ms: number | null;
	answered_turn_ids: string;
	spent_ms: number;
	note: string | null;
};

/**
 * The moderation plan and its coverage in the Interview DO's SQLite, beside the turns: the plan is
 * written once when the interview starts, and each question's row as it changes, so both survive
 * eviction, restarts and reconnects.
 */
export class PlanStore {
	private readonly sql: SqlStorage;
	private cachedPlan: Plan | null | undefined;

	constructor(storage: DurableObjectStorage) {
		this.sql = storage.sql;
		this.sql.exec(`
			CREATE TABLE IF NOT EXISTS plan (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL);
			CREATE TABLE IF NOT EXISTS coverage (
				question_id TEXT PRIMARY KEY, status TEXT NOT NULL, asked_turn_id TEXT, asked_at_ms INTEGER,
				answered_turn_ids TEXT NOT NULL, spent_ms INTEGER NOT NULL, note TEXT);
		`);
	}

	get plan(): Plan | null {
		if (this.cachedPlan === undefined) {
			const row = this.sql.exec<{ body: string }>('SELECT body FROM plan WHERE id = 1').toArray()[0];
			this.cachedPlan = row ? (JSON.parse(row.body) as Plan) : null;
		}
		return this.cachedPlan;
	}

	/** Writes the plan and every question as pending, once: a second start keeps what is there. */
	start(plan: Plan, coverage: readonly QuestionCoverage[]): void {
		if (this.plan) return;
		this.sql.exec('INSERT INTO plan (id, body) VALUES (1, ?)', JSON.stringify(plan));
		for (const entry of coverage) this.put(entry);
		this.cachedPlan = plan;
	}

	/** Forgets the plan and its coverage, for a new interview in the same object. */
	forget(): void {
		this.sql.exec('DELETE FROM plan; DELETE FROM coverage;');
		this.cachedPlan = undefined;
	}

	put(entry: QuestionCoverage): void {
		this.sql.exec(
			`INSERT INTO coverage (question_id, status, asked_turn_id, asked_at_ms, answered_turn_ids, spent_ms, note) VALUES (?, ?, ?, ?, ?, ?, ?)
			 ON CONFLICT(question_id) DO UPDATE SET status = excluded.status, asked_turn_id = excluded.asked_turn_id, asked_at_ms = excluded.asked_at_ms,
			   answered_turn_ids = excluded.answered_turn_ids, spent_ms = excluded.spent_ms, note = excluded.note`,
			entry.questionId,
			entry.status,
			entry.askedTurnId,
			entry.askedAtMs,
			JSON.stringify(entry.answeredTurnIds),
			entry.spentMs,
			entry.note
		);
	}

	/** Coverage in the plan's question order. */
	coverage(): QuestionCoverage[] {
		const rows = new Map(
			this.sql
				.exec<CoverageRow>('SELECT question_id, status, asked_turn_id, asked_at_ms, answered_turn_ids, spent_ms, note FROM coverage')
				.toArray()
				.map((row) => [row.question_id, row])
		);
		return (this.plan?.questions ?? []).flatMap((question) => {
			const row = rows.get(question.id);
			return row
				? [
						{
							questionId: row.question_id,
							status: row.status,
							askedTurnId: row.asked_turn_id,
							askedAtMs: row.asked_at_ms,
							answeredTurnIds: JSON.parse(row.answered_turn_ids) as string[],
							spentMs: row.spent_ms,
							note: row.note
						}
					]
				: [];
		});
	}
}
