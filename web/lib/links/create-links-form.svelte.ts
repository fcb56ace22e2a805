import type { CreateLinks, Interviewer, LinkKind } from '$contracts/links';
import { LINK_LIMITS as LIMITS } from '$contracts/limits';

export type CreateLinksBody = Partial<CreateLinks> & { kind: LinkKind };
export type FieldErrors = Partial<Record<'count' | 'names' | 'maxUses' | 'duration' | 'expiry', string>>;

/** The limit's own words, as the server says them when a batch would pass it. */
export const privateLimitMessage = (name: string, open: number) =>
	`An interviewer has at most ${LIMITS.maxOpenPrivateLinks} open private links; ${name} has ${open}, so there is room for ${Math.max(0, LIMITS.maxOpenPrivateLinks - open)} more.`;

/** Number inputs bind numbers (or null when empty) even though the fields start as text. */
const asText = (value: unknown) => (value === null || value === undefined ? '' : String(value).trim());

const wholeIn = (input: unknown, min: number, max: number) => {
	const text = asText(input);
	const value = Number(text);
	return text !== '' && Number.isInteger(value) && value >= min && value <= max ? value : null;
};

/** The Create Links form: its fields as typed text, and the request body they make (or the errors). */
export class CreateLinksForm {
	kind = $state<LinkKind>('single');
	count = $state('1');
	names = $state('');
	name = $state('');
	maxUses = $state('0');
	askEmail = $state<'required' | 'off'>('required');
	screenerEnabled = $state(false);
	duration = $state('15');
	expiry = $state('');
	voice = $state('');
	language = $state('');
	topics = $state<string[]>([]);
	context = $state('');
	#defaults = $state<Interviewer | null>(null);

	/** Starts again from an interviewer's defaults. */
	reset(interviewer: Interviewer) {
		this.#defaults = interviewer;
		this.openPrivateLinks = interviewer.openPrivateLinks;
		this.kind = 'single';
		this.count = '1';
		this.names = '';
		this.name = '';
		this.maxUses = '0';
		this.askEmail = 'required';
		this.screenerEnabled = false;
		this.duration = String(interviewer.durationMinutes);
		this.expiry = '';
		this.voice = '';
		this.language = '';
		this.topics = [...interviewer.topics];
		this.context = '';
	}

	/** The interviewer's open private links when the form was filled; the limit counts them. */
	openPrivateLinks = $state(0);

	/** How many more private links the interviewer can have open. */
	privateRoom = $derived(Math.max(0, LIMITS.maxOpenPrivateLinks - this.openPrivateLinks));

	/** Private link names, one per line, blank lines ignored. */
	nameList = $derived(
		this.names
			.split('\n')
			.map((line) => line.trim())
			.filter(Boolean)
	);

	/** How many links the form creates. */
	linkCount = $derived(
		this.kind === 'single' ? (wholeIn(this.count, 1, LIMITS.maxLinksPerRequest) ?? 0) : this.kind === 'private' ? this.nameList.length : 1
	);

	result = $derived.by((): { body: CreateLinksBody; errors: FieldErrors } => {
		const errors: FieldErrors = {};
		const body: CreateLinksBody = { kind: this.kind };
		const duration = wholeIn(this.duration, 1, LIMITS.maxDurationMinutes);
		if (duration === null) errors.duration = `A whole number of minutes from 1 to ${LIMITS.maxDurationMinutes}.`;
		else if (duration !== this.#defaults?.durationMinutes) body.durationMinutes = duration;
		if (asText(this.expiry)) {
			const days = wholeIn(this.expiry, 1, LIMITS.maxExpiryDays);
			if (days === null) errors.expiry = `Leave empty for no expiry, or 1 to ${LIMITS.maxExpiryDays} days.`;
			else body.expiresInDays = days;
		}
		if (this.kind === 'single') {
			const count = wholeIn(this.count, 1, LIMITS.maxLinksPerRequest);
			if (count === null) errors.count = `From 1 to ${LIMITS.maxLinksPerRequest} links at a time.`;
			else body.count = count;
		} else {
			const maxUses = wholeIn(this.maxUses, 0, LIMITS.maxUses);
			if (maxUses === null) errors.maxUses = 'A whole number; 0 means unlimited.';
			else body.maxUses = maxUses;
		}
		if (this.kind === 'private') {
			const lower = this.nameList.map((name) => name.toLowerCase());
			if (this.nameList.length === 0) errors.names = 'Add a name for each person or group, one per line.';
			else if (this.nameList.length > this.privateRoom)
				errors.names = privateLimitMessage(this.#defaults?.name ?? 'This interviewer', this.openPrivateLinks);
			else if (new Set(lower).size !== lower.length) errors.names = 'Each private link needs a different name.';
			else body.names = this.nameList;
		}
		if (this.kind === 'public') {
			body.askEmail = this.askEmail;
			if (this.name.trim()) body.name = this.name.trim();
		}
		if (this.voice) body.voice = this.voice;
		if (this.language) body.language = this.language;
		if (this.#defaults && this.topics.join('\n') !== this.#defaults.topics.join('\n')) body.topics = this.topics;
		if (this.context.trim()) body.context = this.context.trim();
		if (this.screenerEnabled) body.screenerEnabled = true;
		return { body, errors };
	});

	valid = $derived(Object.keys(this.result.errors).length === 0);
}
