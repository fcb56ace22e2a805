import type { QuotaFill } from '$contracts/screeners';
import { api, call } from '$lib/api';

/**
 * A project's quotas with their fill, for the links list and the metrics. A failed read leaves the
 * last one: the fill is an aside on those pages, not what they are for.
 */
export class ProjectQuotaFills {
	quotas = $state<QuotaFill[]>([]);
	/** Respondents the screener turned away, per link id. */
	screenedOut = $state<Record<string, number>>({});

	constructor(private readonly projectId: string) {}

	async load(): Promise<void> {
		try {
			const result = await call(api.projects[':projectId'].quotas.$get, { param: { projectId: this.projectId } });
			this.quotas = result.quotas;
			this.screenedOut = Object.fromEntries(result.screenedOut.map((entry) => [entry.linkId, entry.count]));
		} catch {
			// Keep what was shown.
		}
	}

	ofLink(linkId: string): QuotaFill[] {
		return this.quotas.filter((quota) => quota.linkId === linkId);
	}

	get projectWide(): QuotaFill[] {
		return this.quotas.filter((quota) => quota.linkId === null);
	}
}
