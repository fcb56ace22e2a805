const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const DATE_TIME = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
const DATE = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });
const NUMBER = new Intl.NumberFormat('en');

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
	['second', 60],
	['minute', 60],
	['hour', 24],
	['day', 7],
	['week', 4.35],
	['month', 12],
	['year', Number.POSITIVE_INFINITY]
];

/** "5 minutes ago", "yesterday", "in 3 days". */
export function formatRelative(iso: string, now = Date.now()): string {
	let amount = (new Date(iso).getTime() - now) / 1000;
	if (Math.abs(amount) < 45) return 'just now';
	for (const [unit, size] of STEPS) {
		if (Math.abs(amount) < size) return RELATIVE.format(Math.round(amount), unit);
		amount /= size;
	}
	return DATE.format(new Date(iso));
}

export const formatDateTime = (iso: string) => DATE_TIME.format(new Date(iso));
export const formatDate = (iso: string) => DATE.format(new Date(iso));
export const formatNumber = (value: number) => NUMBER.format(value);

export function plural(count: number, one: string, many = `${one}s`): string {
	return `${formatNumber(count)} ${count === 1 ? one : many}`;
}
