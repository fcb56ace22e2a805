import { describeError } from '$lib/errors';

/** A list fetched from the API, with its loading and error state and a way to fetch it again. */
export class RemoteList<Item> {
	items = $state<Item[] | null>(null);
	error = $state<string | null>(null);
	loading = $state(false);
	readonly #fetchItems: () => Promise<Item[]>;

	constructor(fetchItems: () => Promise<Item[]>) {
		this.#fetchItems = fetchItems;
	}

	async load() {
		this.loading = true;
		this.error = null;
		try {
			this.items = await this.#fetchItems();
		} catch (failure) {
			this.error = describeError(failure);
		} finally {
			this.loading = false;
		}
	}
}
