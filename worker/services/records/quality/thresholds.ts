/**
 * The thresholds of the quality flag, named once. README's "Response quality" and
 * docs/ARCHITECTURE.md list them; change them there too.
 */
export const QUALITY_THRESHOLDS = {
	/** Share of the respondent's answers that say nothing ("I don't know", silence): review at, low quality at. */
	nonAnswerReview: 0.3,
	nonAnswerLow: 0.6,
	/** Median words per answer: review below, low quality below. */
	medianWordsReview: 5,
	medianWordsLow: 2,
	/** Words the guide expects in answer to one question; an answer under `belowGuideRatio` of it is far shorter. */
	expectedAnswerWords: 12,
	belowGuideRatio: 0.25,
	/** Share of the answered guide questions answered far shorter than expected: review at. */
	belowGuideReview: 0.5,
	/** The respondent's share of all the words said: review below. */
	respondentShareReview: 0.2,
	/**
	 * An interview the interviewer closed (guide covered) as a share of its planned duration: review
	 * below `speedReview`; low quality below `speedLow` when its answers are also short (median under `medianWordsReview`).
	 */
	speedReview: 0.4,
	speedLow: 0.2,
	/** Fewer answers than this are too few to judge answer lengths or non-answers by. */
	minAnswers: 2
} as const;
