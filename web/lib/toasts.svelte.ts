export type ToastTone = 'info' | 'success' | 'error';

export type Toast = { id: number; tone: ToastTone; message: string };

const DISPLAY_MS: Record<ToastTone, number> = { info: 5_000, success: 4_000, error: 8_000 };

/** Short notices shown in the toast region; errors stay on screen longer. */
class ToastQueue {
	items = $state<Toast[]>([]);
	#nextId = 1;
	#timers = new Map<number, ReturnType<typeof setTimeout>>();

	show(message: string, tone: ToastTone = 'info') {
		const id = this.#nextId++;
		this.items = [...this.items.slice(-3), { id, tone, message }];
		this.#timers.set(
			id,
			setTimeout(() => this.dismiss(id), DISPLAY_MS[tone])
		);
		return id;
	}

	success(message: string) {
		return this.show(message, 'success');
	}

	error(message: string) {
		return this.show(message, 'error');
	}

	dismiss(id: number) {
		clearTimeout(this.#timers.get(id));
		this.#timers.delete(id);
		this.items = this.items.filter((toast) => toast.id !== id);
	}
}

export const toasts = new ToastQueue();
