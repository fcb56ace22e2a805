declare module '*/.svelte-kit/cloudflare/_worker.js' {
	const handler: { fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> };
	export default handler;
}
