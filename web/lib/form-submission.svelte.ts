import { describeError } from '$lib/errors';

/**
 * The submission of one form: a second submit while one runs is ignored, the form shows `busy` meanwhile,
 * and a failure becomes the sentence in `error` (the form may also put its own validation message there).
 */
export class FormSubmission {
	busy = $state(false);
	error = $state<string | null>(null);

	/** Runs the action unless one is running; resolves to whether it succeeded. */
	async run(action: () => Promise<unknown>, describe: (failure: unknown) => string = describeError): Promise<boolean> {
		if (this.busy) return false;
		this.busy = true;
		this.error = null;
		try {
			await action();
			return true;
		} catch (failure) {
			this.error = describe(failure);
			return false;
		} finally {
			this.busy = false;
		}
	}
}
