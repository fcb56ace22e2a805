// No zod here: pages import these limits at runtime without pulling the schema library in.

/** Accounts, workspaces and projects. */
export const ACCOUNT_LIMITS = {
	nameChars: 120,
	researchGoalsChars: 8_000,
	emailChars: 254
} as const;

/** The Interview Guide. */
export const GUIDE_LIMITS = {
	sections: 30,
	questionsPerSection: 40,
	probesPerQuestion: 8,
	titleChars: 200,
	questionChars: 1_000,
	probeChars: 500,
	translationsPerQuestion: 8,
	totalBytes: 64 * 1024
} as const;

/** Interviewers and links. */
export const LINK_LIMITS = {
	maxDurationMinutes: 60,
	maxLinksPerRequest: 500,
	maxOpenPrivateLinks: 50,
	maxUses: 100_000,
	maxExpiryDays: 365,
	topics: 12,
	topicChars: 80,
	instructionsChars: 4_000,
	contextChars: 4_000,
	voiceChars: 100
} as const;

/** How big a screener may get: a few quick questions before consent, not a survey. */
export const SCREENER_LIMITS = { questions: 10, options: 12, ranges: 10, textChars: 300, quotas: 50, maxCap: 100_000 } as const;
