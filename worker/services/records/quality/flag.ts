import type { QualityFlag, QualityReason, QualitySignals } from '../../../contracts/quality';
import { QUALITY_THRESHOLDS as T } from './thresholds';

const RANK: Record<QualityReason['severity'], number> = { info: 0, review: 1, low_quality: 2 };

/** Each signal past its threshold, as a reason with the severity it asks for. */
function reasonsOf(signals: QualitySignals): QualityReason[] {
	const reasons: QualityReason[] = [];
	const { nonAnswerShare, medianAnswerWords, answersBelowGuideShare, respondentWordShare, durationShareOfPlan } = signals;
	if (nonAnswerShare !== null && nonAnswerShare >= T.nonAnswerReview) {
		const severity = nonAnswerShare >= T.nonAnswerLow ? 'low_quality' : 'review';
		reasons.push({
			code: 'non_answers',
			severity,
			value: nonAnswerShare,
			limit: severity === 'low_quality' ? T.nonAnswerLow : T.nonAnswerReview
		});
	}
	if (medianAnswerWords !== null && medianAnswerWords < T.medianWordsReview) {
		const severity = medianAnswerWords < T.medianWordsLow ? 'low_quality' : 'review';
		reasons.push({
			code: 'short_answers',
			severity,
			value: medianAnswerWords,
			limit: severity === 'low_quality' ? T.medianWordsLow : T.medianWordsReview
		});
	}
	if (answersBelowGuideShare !== null && answersBelowGuideShare >= T.belowGuideReview) {
		reasons.push({
			code: 'answers_below_guide',
			severity: 'review',
			value: answersBelowGuideShare,
			limit: T.expectedAnswerWords * T.belowGuideRatio
		});
	}
	if (respondentWordShare !== null && signals.respondentAnswers > 0 && respondentWordShare < T.respondentShareReview) {
		reasons.push({ code: 'low_respondent_share', severity: 'review', value: respondentWordShare, limit: T.respondentShareReview });
	}
	if (signals.duplicateOfRecordId) {
		reasons.push({
			code: signals.duplicateBy === 'email' ? 'duplicate_email' : 'duplicate_network',
			severity: signals.duplicateBy === 'email' ? 'low_quality' : 'review',
			relatedRecordId: signals.duplicateOfRecordId
		});
	}
	if (durationShareOfPlan !== null && durationShareOfPlan < T.speedReview) {
		// A fast interview with full answers is a fluent respondent; fast and thin is someone rushing through.
		const thin = medianAnswerWords !== null && medianAnswerWords < T.medianWordsReview;
		const severity = durationShareOfPlan < T.speedLow && thin ? 'low_quality' : 'review';
		reasons.push({
			code: 'speed_through',
			severity,
			value: durationShareOfPlan,
			limit: severity === 'low_quality' ? T.speedLow : T.speedReview
		});
	}
	if (signals.expectedLanguage && signals.detectedLanguage && signals.detectedLanguage !== signals.expectedLanguage) {
		reasons.push({ code: 'language_mismatch', severity: 'review', language: signals.detectedLanguage });
	}
	if (!signals.speakersKnown) reasons.push({ code: 'speakers_unknown', severity: 'info' });
	else if (signals.respondentAnswers === 0) reasons.push({ code: 'text_not_checked', severity: 'info' });
	return reasons;
}

/** The flag is the most severe reason's: `ok` with no reason (or only `info` ones), else `review` or `low_quality`. */
export function qualityFlagOf(signals: QualitySignals): { flag: QualityFlag; reasons: QualityReason[] } {
	const reasons = reasonsOf(signals).sort((a, b) => RANK[b.severity] - RANK[a.severity]);
	const worst = reasons[0]?.severity ?? 'info';
	return { flag: worst === 'info' ? 'ok' : worst, reasons };
}
