import type { LinkTab, ListedLink } from '$contracts/links';
import { api, call } from '$lib/api';
import { describeError } from '$lib/errors';
import { appendPage } from '$lib/paging';

export const TABS: readonly LinkTab[] = ['active', 'completed', 'archived'];

/** The rows of a tab read so far, and the cursor of the next page (null once all are here). */
export type TabPage = { links: ListedLink[]; nextCursor: string | null };

/**
 * One interviewer's links in their three tabs, the first page of each loaded together so each tab shows its count;
 * "Load more" appends the next page of one tab.
 */
export class LinksBoard {
	tabs = $state<Record<LinkTab, TabPage> | null>(null);
	error = $state<string | null>(null);
	loading = $state(false);
	loadingMore = $state<LinkTab | null>(null);
	readonly interviewerId: string;
	#generation = 0;

	constructor(interviewerId: string) {
		this.interviewerId = interviewerId;
	}

	#page(tab: LinkTab, cursor?: string) {
		return call(api.interviewers[':interviewerId'].links.$get, {
			param: { interviewerId: this.interviewerId },
			query: cursor ? { tab, cursor } : { tab }
		});
	}

	async load() {
		const generation = ++this.#generation;
		this.loading = true;
		this.error = null;
		try {
			const pages = await Promise.all(TABS.map((tab) => this.#page(tab)));
			if (generation !== this.#generation) return;
			this.tabs = { active: pages[0]!, completed: pages[1]!, archived: pages[2]! };
		} catch (failure) {
			if (generation === this.#generation) this.error = describeError(failure);
		} finally {
			if (generation === this.#generation) this.loading = false;
		}
	}

	async loadMore(tab: LinkTab) {
		const cursor = this.tabs?.[tab].nextCursor;
		if (!cursor || this.loadingMore) return;
		const generation = this.#generation;
		this.loadingMore = tab;
		this.error = null;
		try {
			const page = await this.#page(tab, cursor);
			if (generation !== this.#generation || !this.tabs) return;
			this.tabs[tab] = { links: appendPage(this.tabs[tab].links, page.links), nextCursor: page.nextCursor };
		} catch (failure) {
			if (generation === this.#generation) this.error = describeError(failure);
		} finally {
			this.loadingMore = null;
		}
	}
}
