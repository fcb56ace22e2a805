import { eventually, localObjectBytes, setUpInterview, signUp, wavSeconds, type Api, type SetUp } from './app.ts';
import { check, skipped, wordsCheck, type Check } from './checklist.ts';
import { speech, type Speech } from './fixtures.ts';
import { Respondent, sleep, type Received } from './respondent.ts';
import type { SmokeProvider } from './settings.ts';
import { wordErrorRate } from './wer.ts';

/**
 * The scripted interview: the respondent joins, hears the greeting, answers in English, then
 * speaks Russian over the interviewer's reply (a barge-in), and leaves; then the record, its audio
 * and its report are read back through the API. Each step becomes a check with its figure.
 */

/** How soon the interviewer must be heard after hello: the greeting is generated and spoken from scratch. */
export const FIRST_AUDIO_MS = 5_000;
/** How long the interviewer must have been speaking before the respondent talks over it. */
const BARGE_IN_AFTER_MS = 800;
/** How much of the reply must be left to play for talking over it to be a barge-in. */
const MIN_LEFT_MS = 500;
const QUIET_MS = 1_500;

export type RunningApp = { url: string; persistTo: string; log: () => string };

type Frame = NonNullable<Received['frame']>;
const ms = (value: number) => `${Math.round(value)} ms`;
const finalTurn = (role: string) => (entry: Received) =>
	entry.frame?.type === 'turn' && entry.frame.role === role && entry.frame.final
		? { at: entry.at, text: entry.frame.text ?? '' }
		: undefined;
const failed = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Plays `answer`, waits for its transcript and scores it. */
async function answer(respondent: Respondent, label: string, fixture: Speech): Promise<{ check: Check; heardAt: number }> {
	const saidAt = performance.now();
	await respondent.speak(fixture.pcm);
	const heard = await respondent.waitFor(`the transcript of ${fixture.name}`, finalTurn('respondent'), {
		since: saidAt,
		timeoutMs: 30_000
	});
	return { check: wordsCheck(label, wordErrorRate(fixture.text, heard.text), heard.text), heardAt: heard.at };
}

async function conversation(
	respondent: Respondent,
	provider: SmokeProvider,
	app: RunningApp,
	link: Record<string, unknown>,
	checks: Check[]
): Promise<void> {
	const start = respondent.hello(`respondent-${crypto.randomUUID().slice(0, 8)}@example.com`);
	const welcome = await respondent.waitFor<Frame>(
		'welcome',
		(entry) => (entry.frame?.type === 'welcome' || entry.frame?.type === 'error' ? entry.frame : undefined),
		{
			timeoutMs: 20_000
		}
	);
	const firstAudio = await respondent.waitFor('the first interviewer audio', (entry) => (entry.audioBytes > 0 ? entry.at : undefined), {
		timeoutMs: 30_000
	});
	const errors = respondent.frames('error').map((entry) => entry.frame!.code);
	const fitted = app.log().match(/"provider\.brief_fitted".*$/m)?.[0];
	checks.push(
		check(
			'Upstream connected and session accepted',
			welcome.type === 'welcome' && welcome.provider === provider && errors.length === 0,
			`${welcome.type === 'welcome' ? `provider ${welcome.provider}` : `error ${welcome.code}: ${welcome.message}`}; voice ${link.voice}, language ${link.language}${fitted ? `; fitted: ${fitted}` : ''}${errors.length ? `; errors: ${errors.join(', ')}` : ''}`
		),
		check(
			`First interviewer audio within ${ms(FIRST_AUDIO_MS)}`,
			firstAudio - start <= FIRST_AUDIO_MS,
			`${ms(firstAudio - start)} after hello`
		)
	);

	await respondent.interviewerDone(start, QUIET_MS, 60_000);
	const english = await answer(respondent, 'English answer transcribed (answer-short-en)', speech('answer-short-en'));
	checks.push(english.check);

	const replyAt = await respondent.waitFor('the reply to the English answer', (entry) => (entry.audioBytes > 0 ? entry.at : undefined), {
		since: english.heardAt,
		timeoutMs: 30_000
	});
	await sleep(Math.max(0, replyAt + BARGE_IN_AFTER_MS - performance.now()));
	const leftMs = respondent.playbackLeftMs();
	const interrupting = leftMs >= MIN_LEFT_MS;
	const bargeAt = performance.now();
	const second = provider === 'openai' ? speech('answer-ru') : speech('answer-short-en');
	const overIt = await answer(respondent, 'Russian answer transcribed (answer-ru), spoken over the interviewer', second);
	if (provider === 'openai') checks.push(overIt.check);
	else checks.push(skipped('Russian answer transcribed (answer-ru)', "Workers AI's voice cascade hears English only"));
	const flush = respondent.frames('playback.flush').find((entry) => entry.at >= bargeAt);
	checks.push(
		check(
			'Barge-in stops the interviewer',
			interrupting && Boolean(flush),
			!interrupting
				? `the reply had ${ms(leftMs)} left to play when the respondent started: too short to talk over`
				: flush
					? `playback.flush ${ms(flush.at - bargeAt)} after the respondent started, with ${ms(leftMs)} of the reply unplayed`
					: `no playback.flush, with ${ms(leftMs)} of the reply unplayed`
		)
	);
	await respondent.interviewerDone(overIt.heardAt, QUIET_MS, 30_000).catch(() => undefined);
}

type RecordDetail = { id: string; status: string; turnCount: number; durationMs: number; interviewId: string | null; hasAudio: boolean };
type Report = { id: string; kind: string; status: string; recordIds: string[]; summary: string; error: string | null; createdAt: string };

async function afterwards(api: Api, app: RunningApp, setup: SetUp): Promise<Check[]> {
	const checks: Check[] = [];
	const { records } = await eventually(
		'the record',
		async () => {
			const list = await api.get<{ records: Array<{ id: string }> }>(`/api/projects/${setup.projectId}/records`);
			return list.records.length > 0 ? list : undefined;
		},
		60_000
	);
	const record = await api.get<RecordDetail>(`/api/records/${records[0]!.id}`);
	const turns = await api.get<Array<{ role: string; text: string }>>(`/api/records/${record.id}/transcript?format=json`);
	const cut = turns.find((turn) => turn.role === 'interviewer' && turn.text.endsWith('…'));
	checks.push(
		check(
			'Record stored',
			record.status === 'ready' && record.turnCount > 0,
			`${record.status}, ${record.turnCount} turns, ${Math.round(record.durationMs / 1000)} s`
		),
		check(
			'Stored interviewer turn cut at the barge-in',
			Boolean(cut),
			cut ? `"${cut.text}"` : 'no interviewer turn ends where it was cut (…)'
		)
	);

	const respondentAudio = await api.raw(`/api/records/${record.id}/audio`);
	const respondentSeconds = respondentAudio.ok ? wavSeconds((await respondentAudio.arrayBuffer()).byteLength) : 0;
	const interviewerKey = `ws/${setup.workspaceId}/projects/${setup.projectId}/interviews/${record.interviewId}/interviewer.wav`;
	const interviewerBytes = record.interviewId ? localObjectBytes(app.persistTo, interviewerKey) : null;
	const interviewerSeconds = interviewerBytes === null ? 0 : wavSeconds(interviewerBytes);
	checks.push(
		check(
			'Audio of both sides stored',
			respondentSeconds > 1 && interviewerSeconds > 1,
			`respondent ${respondentSeconds.toFixed(1)} s, interviewer ${interviewerBytes === null ? 'missing' : `${interviewerSeconds.toFixed(1)} s`}`
		)
	);

	const startedAt = Date.now();
	const settled = await eventually(
		'the report',
		async () => {
			const { reports } = await api.get<{ reports: Report[] }>(`/api/projects/${setup.projectId}/reports`);
			return reports.some((report) => report.status === 'ready' || report.status === 'failed') ? reports : undefined;
		},
		240_000
	).catch(() => [] as Report[]);
	// A second report would come from a job run twice: look again a little later.
	await sleep(5_000);
	const { reports } = await api.get<{ reports: Report[] }>(`/api/projects/${setup.projectId}/reports`);
	const report = settled.find((each) => each.status === 'ready' || each.status === 'failed');
	checks.push(
		check(
			'One report written',
			reports.length === 1 && report?.status === 'ready' && report.kind === 'single' && report.recordIds.join() === record.id,
			report
				? `${reports.length} report(s); ${report.status} within ${Math.round((Date.now() - startedAt) / 1000)} s: ${report.status === 'ready' ? `"${report.summary.slice(0, 100)}"` : report.error}`
				: 'no report settled within 4 minutes'
		)
	);
	return checks;
}

export async function runSmoke(app: RunningApp, provider: SmokeProvider): Promise<Check[]> {
	const api = await signUp(app.url);
	const setup = await setUpInterview(api, provider);
	const link = (await (await fetch(`${app.url}/api/public/links/${setup.token}`)).json()) as Record<string, unknown>;
	const respondent = await Respondent.connect(app.url, setup.token);
	const checks: Check[] = [];
	try {
		await conversation(respondent, provider, app, link, checks);
	} catch (error) {
		checks.push(check('Scripted interview ran to its end', false, failed(error)));
	}
	// Whatever happened, the respondent leaves, and what the interview left behind is read back.
	try {
		respondent.leave();
		await respondent.waitFor('ended', (entry) => (entry.frame?.type === 'ended' ? true : undefined), { timeoutMs: 30_000 });
	} catch (error) {
		checks.push(check('Interview ended on leave', false, failed(error)));
	} finally {
		respondent.close();
	}
	try {
		return [...checks, ...(await afterwards(api, app, setup))];
	} catch (error) {
		return [...checks, check('Record, audio and report', false, failed(error))];
	}
}
