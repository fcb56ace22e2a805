import type { InterviewBrief } from '../worker/ai/provider';
import type { Turn } from '../worker/contracts/protocol';
import type { ProviderName } from '../worker/ai/capabilities';
import { DEFAULT_PRIVACY, type PrivacySettings } from '../worker/services/privacy';

/** The durable state of one interview. Memory only caches it; every change is written here first. */
export type SessionState = {
	interviewId: string;
	linkId: string;
	workspaceId: string;
	projectId: string;
	interviewerId: string;
	linkKind: 'single' | 'public' | 'private';
	linkName: string;
	email: string | null;
	resumeToken: string | null;
	status: 'active' | 'finalizing' | 'completed' | 'abandoned';
	provider: ProviderName;
	startedAt: number;
	deadlineAt: number;
	wrapUpAt: number;
	wrapUpSent: boolean;
	/** When the last socket left; null while someone is connected (or vanished without a close). */
	emptySince: number | null;
	/** The last frame from the respondent, stored every few seconds: after a crash, when they were last there. */
	lastActivityAt?: number;
	endReason: string | null;
	endedAt: number | null;
	/** The ledger reservation this interview settles against, and its share of it. */
	reservation: string;
	shareTokens: number;
	brief: InterviewBrief;
	/** The project's redaction settings when the interview started; absent in sessions stored before they existed. */
	privacy?: PrivacySettings;
};

export const privacyOf = (state: SessionState): PrivacySettings => state.privacy ?? DEFAULT_PRIVACY;

export type StoredTurn = Turn & { startMs: number | null; endMs: number | null };
export type AudioTrack = 'respondent' | 'interviewer';
/** A piece of one track's audio to store: where it starts on the interview timeline (bytes, 48 per ms) and its PCM (a view; SQLite copies it). */
export type AudioChunk = { track: AudioTrack; offsetBytes: number; pcm: Uint8Array };

/** The statements that store 1, 2, … chunks, each written out once: the recording runs one four times a second. */
const AUDIO_INSERTS: string[] = [];
const insertAudio = (rows: number) =>
	(AUDIO_INSERTS[rows] ??= `INSERT INTO audio (track, offset_bytes, pcm) VALUES ${Array(rows).fill('(?, ?, ?)').join(', ')}`);

type TurnRow = {
	id: string;
	role: Turn['role'];
	text: string;
	final: number;
	at: number;
	transcribed: number;
	start_ms: number | null;
	end_ms: number | null;
};

/** SQLite storage of the Interview Durable Object: session state, turns and audio chunks. */
export class InterviewStore {
	private readonly sql: SqlStorage;
	private cached: SessionState | null | undefined;

	constructor(storage: DurableObjectStorage) {
		this.sql = storage.sql;
		this.sql.exec(`
			CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
			CREATE TABLE IF NOT EXISTS turns (
				seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, role TEXT NOT NULL, text TEXT NOT NULL,
				final INTEGER NOT NULL, at INTEGER NOT NULL, transcribed INTEGER NOT NULL, start_ms INTEGER, end_ms INTEGER);
			CREATE TABLE IF NOT EXISTS audio (seq INTEGER PRIMARY KEY AUTOINCREMENT, track TEXT NOT NULL, offset_bytes INTEGER NOT NULL, pcm BLOB NOT NULL);
		`);
	}

	getMeta<T>(key: string): T | undefined {
		const row = this.sql.exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', key).toArray()[0];
		return row ? (JSON.parse(row.value) as T) : undefined;
	}

	setMeta(key: string, value: unknown): void {
		this.sql.exec(
			'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
			key,
			JSON.stringify(value)
		);
	}

	get session(): SessionState | null {
		if (this.cached === undefined) this.cached = this.getMeta<SessionState>('session') ?? null;
		return this.cached;
	}

	saveSession(state: SessionState): SessionState {
		this.setMeta('session', state);
		this.cached = state;
		return state;
	}

	updateSession(patch: Partial<SessionState>): SessionState {
		const current = this.session;
		if (!current) throw new Error('no interview session to update');
		return this.saveSession({ ...current, ...patch });
	}

	/** Inserts or replaces (partial → final) a turn; returns it as stored. */
	putTurn(turn: StoredTurn): StoredTurn {
		this.sql.exec(
			`INSERT INTO turns (id, role, text, final, at, transcribed, start_ms, end_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			 ON CONFLICT(id) DO UPDATE SET text = excluded.text, final = excluded.final, transcribed = excluded.transcribed, end_ms = excluded.end_ms`,
			turn.id,
			turn.role,
			turn.text,
			turn.final ? 1 : 0,
			turn.at,
			turn.transcribed === false ? 0 : 1,
			turn.startMs,
			turn.endMs
		);
		return turn;
	}

	turns(): StoredTurn[] {
		return this.sql
			.exec<TurnRow>('SELECT id, role, text, final, at, transcribed, start_ms, end_ms FROM turns ORDER BY at, seq')
			.toArray()
			.map((row) => ({
				id: row.id,
				role: row.role,
				text: row.text,
				final: row.final === 1,
				at: row.at,
				transcribed: row.transcribed === 1,
				startMs: row.start_ms,
				endMs: row.end_ms
			}));
	}

	/** Forgets the interview (session, turns, audio): its object can hold a new one. */
	forget(): void {
		this.sql.exec('DELETE FROM meta; DELETE FROM turns; DELETE FROM audio;');
		this.cached = undefined;
	}

	/** Stores chunks of audio in one statement: every statement has a cost of its own, and this runs several times a second. */
	appendAudio(chunks: AudioChunk[]): void {
		if (chunks.length === 0) return;
		const values: Array<string | number | Uint8Array> = [];
		for (const chunk of chunks) values.push(chunk.track, chunk.offsetBytes, chunk.pcm);
		this.sql.exec(insertAudio(chunks.length), ...values);
	}

	/** Where a track's stored audio ends, in bytes of the interview timeline (48 bytes per ms). */
	audioEndBytes(track: AudioTrack): number {
		const row = this.sql
			.exec<{ offset_bytes: number; bytes: number }>(
				'SELECT offset_bytes, length(pcm) AS bytes FROM audio WHERE track = ? ORDER BY seq DESC LIMIT 1',
				track
			)
			.toArray()[0];
		return row ? row.offset_bytes + row.bytes : 0;
	}

	*audioChunks(track: AudioTrack): Generator<{ offsetBytes: number; pcm: ArrayBuffer }> {
		let after = 0;
		for (;;) {
			const rows = this.sql
				.exec<{ seq: number; offset_bytes: number; pcm: ArrayBuffer }>(
					'SELECT seq, offset_bytes, pcm FROM audio WHERE track = ? AND seq > ? ORDER BY seq LIMIT 64',
					track,
					after
				)
				.toArray();
			if (rows.length === 0) return;
			for (const row of rows) yield { offsetBytes: row.offset_bytes, pcm: row.pcm };
			after = rows[rows.length - 1]!.seq;
		}
	}
}
