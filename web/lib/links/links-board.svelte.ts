import type { LinkTab, ListedLink } from '$contracts/links';
import { api, call } from '$lib/api';
import { describeError } from '$lib/errors';

export const TABS: readonly LinkTab[] = ['active', 'completed', 'archived'];

/** One interviewer's links in their three tabs, loaded together so each tab shows its count. */
export class LinksBoard {
	tabs = $state<Record<LinkTab, ListedLink[]> | null>(null);
	error = $state<string | null>(null);
	loading = $state(false);
	readonly interviewerId: string;
	#generation = 0;

	constructor(interviewerId: string) {
		this.interviewerId = interviewerId;
	}

	async load() {
		const generation = ++this.#generation;
		this.loading = true;
		this.error = null;
		try {
			const lists = await Promise.all(
				TABS.map((tab) =>
					call(api.interviewers[':interviewerId'].links.$get, { param: { interviewerId: this.interviewerId }, query: { tab } }).then(
						(page) => page.links
					)
				)
			);
			if (generation !== this.#generation) return;
			this.tabs = { active: lists[0]!, completed: lists[1]!, archived: lists[2]! };
		} catch (failure) {
			if (generation === this.#generation) this.error = describeError(failure);
		} finally {
			if (generation === this.#generation) this.loading = false;
		}
	}
}
