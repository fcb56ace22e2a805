import type { Balance } from '$contracts/api';
import { api, call } from '$lib/api';

/** The workspace balance shown in the top bar; anything that moves tokens calls `refresh()`. */
class LiveBalance {
	current = $state<Balance | null>(null);

	set(balance: Balance) {
		this.current = balance;
	}

	async refresh(): Promise<Balance | null> {
		try {
			const balance = await call(api.billing.balance.$get);
			this.current = balance;
			return balance;
		} catch {
			return this.current;
		}
	}
}

export const liveBalance = new LiveBalance();
