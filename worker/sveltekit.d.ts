declare module '*/.svelte-kit/cloudflare/_worker.js' {
	const handler: { fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> };
	export default handler;
}

/** Written by the respondent page's build (vite.respondent.config.ts): the files its HTML shell names. */
declare module '*/.svelte-kit/respondent/manifest.json' {
	const manifest: { script: string; preload: string[]; styles: string[]; messages: Record<'en' | 'ru', string> };
	export default manifest;
}
