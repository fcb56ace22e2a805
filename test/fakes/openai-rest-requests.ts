/** What the fake OpenAI REST server (openai-rest.ts) records of each request, for the tests that read it back. */

export type TranscriptionRequest = {
	name: string;
	bytes: number;
	model: string | null;
	responseFormat: string | null;
	prompt: string | null;
	status: number;
};

export type ChatRequest = {
	key: string;
	model: string;
	userAgent: string;
	responseFormat: { type: string; json_schema: { name?: string; strict: boolean; schema: unknown } };
	/** What the model was shown: every message's text, for the tests that check no personal data reached it. */
	messages: { role: string; content: string }[];
};
