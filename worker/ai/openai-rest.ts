/** OpenAI's REST API (reports, uploaded-audio transcription): its base URL, which tests point at a loopback fake. */
export function openAiBaseUrl(env: Pick<Env, 'OPENAI_API_KEY'> & { OPENAI_API_BASE_URL?: string }): string {
	const configured = env.OPENAI_API_BASE_URL?.trim();
	return (configured || 'https://api.openai.com/v1').replace(/\/+$/, '');
}
