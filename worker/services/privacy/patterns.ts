import { isIban, passesLuhn } from './checks';
import { PLACEHOLDER, type PersonalDataKind } from './placeholders';
import { SPOKEN_NUMBER, spokenDigits } from './spoken-numbers';

/**
 * The pattern pass: emails, phone numbers, payment cards (Luhn-checked), IBANs (mod-97-checked),
 * street addresses and URLs that carry something personal, written or dictated, in English and
 * Russian. It favours leaving ordinary numbers alone (years, prices, dates, times, durations,
 * percentages, order numbers): a number is redacted only when its shape or checksum says what it is.
 */

const BEFORE = '(?<![\\p{L}\\d])';
const TLD = '(?:com|org|net|edu|gov|io|co|uk|de|fr|info|me|ru|рф|ру|ком|орг|нет)';
const DOT = '(?:dot|точка)';
const AT = '(?:at|собака|эт)';

const EMAIL = /[\p{L}\d._%+-]+@[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.\p{L}{2,}/giu;
/** "john.smith at gmail.com", "john dot smith at gmail dot com", "иван собака яндекс точка ру". */
const SPOKEN_EMAIL = new RegExp(
	`${BEFORE}[\\p{L}\\d]+(?:(?:\\.|\\s+${DOT}\\s+|\\s+(?:underscore|подчёркивание|подчеркивание)\\s+)[\\p{L}\\d]+)*\\s+${AT}\\s+[\\p{L}\\d-]+(?:(?:\\.|\\s+${DOT}\\s+)[\\p{L}\\d-]+)*(?:\\.|\\s+${DOT}\\s+)${TLD}(?![\\p{L}\\d/])`,
	'giu'
);

/** "look at google.com", "me at github.com": the word before "at" is speech, not a mailbox. */
const NOT_A_MAILBOX = /^(?:me|us|him|her|them|it|look|looking|here|there|that|this|is|was|we|i|you|they|meet|work|home|мы|я|он|она|они)\s/i;

const URL =
	/(?:https?:\/\/|www\.)[^\s<>"'()[\]]+|(?<![\p{L}\d.@])(?:linkedin\.com|facebook\.com|instagram\.com|t\.me|vk\.com|x\.com|twitter\.com|github\.com)\/[^\s<>"'()[\]]+/giu;
/** Sites where a path is a person: a profile, a handle. */
const PROFILE_HOST =
	/(?:^|[/.])(?:linkedin\.com|facebook\.com|instagram\.com|t\.me|vk\.com|x\.com|twitter\.com|github\.com|ok\.ru|tiktok\.com)\/./i;

/** A URL is personal when it names someone or carries something that opens a door: a query, a login, a long id, a profile. */
function personalUrl(url: string): boolean {
	if (/[?#][^\s]*=|@/.test(url)) return true;
	if (PROFILE_HOST.test(url)) return true;
	const path = url.replace(/^(?:https?:\/\/)?[^/]+/i, '');
	return path
		.split('/')
		.some(
			(segment) =>
				/\d{6,}/.test(segment) ||
				(segment.length >= 12 && /\d/.test(segment) && /[a-z]/i.test(segment)) ||
				(/^(?:invite|reset|verify|token|unsubscribe|join|interview)$/i.test(segment) && path.length > segment.length + 2)
		);
}

const IBAN = /(?<![A-Z0-9])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)(?![A-Z0-9])/g;
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
/** Written phone numbers: +7 (912) 345-67-89, (415) 555-0132, 8 912 345 67 89, 415.555.0132. */
const PHONE = /(?<![\p{L}\d+])(?:\+\s?)?\(?\d{1,4}\)?(?:[ .-]?\(?\d{1,4}\)?){2,6}(?![\p{L}\d])/gu;

/** Words that make the number after them a reference, not a person's: order, invoice, tracking, ticket. */
const REFERENCE_BEFORE =
	/(?<![\p{L}])(?:order|invoice|tracking|ticket|reference|ref|policy|serial|booking|confirmation|заказ\p{L}*|счёт\p{L}*|счет\p{L}*|накладн\p{L}*|артикул\p{L}*|тикет\p{L}*|договор\p{L}*|№|#)\s*(?:(?:number|no\.?|номер|n)\s*)?(?:is\s+|был\s+|—\s+|:\s*)?$/iu;
/** Units that make the number before them an amount: currencies, percentages, distances, counts. */
const AMOUNT_AFTER =
	/^\s*(?:%|percent|процент\p{L}*|руб\p{L}*|₽|\$|€|dollars?|euros?|долл\p{L}*|евро|km|км|kg|кг|people|человек|years?|лет|год\p{L}*)/iu;

const isReference = (text: string, start: number) => REFERENCE_BEFORE.test(text.slice(Math.max(0, start - 40), start));
const isAmount = (text: string, end: number) => AMOUNT_AFTER.test(text.slice(end, end + 16));

/** Groups that are all years (2019 2020 2021) or thousands (15 000 000) are a list or an amount, not a phone. */
function numberLike(written: string): boolean {
	const groups = written.match(/\d+/g) ?? [];
	if (groups.every((group) => /^(?:19|20)\d\d$/.test(group))) return true;
	return /^\d{1,3}(?: \d{3})+$/.test(written.trim());
}

function phoneDigits(written: string): string | null {
	const digits = written.replace(/\D/g, '');
	if (digits.length < 10 || digits.length > 15) return null;
	if (!written.trim().startsWith('+') && numberLike(written)) return null;
	return digits;
}

/** "one, two, three… ten": someone counting, whose digits read 12345678910. */
function isCounting(digits: string): boolean {
	let expected = '';
	for (let next = Number(digits[0]); expected.length < digits.length; next += 1) expected += String(next);
	return expected === digits;
}

type Found = { start: number; end: number; kind: PersonalDataKind };

/** Russian street addresses: the street type, its name, the house (and flat): "ул. Тверская, д. 7, кв. 12", "на улице Ленина дом 5". */
const RU_ADDRESS =
	/(?<![\p{L}])(?:ул\.|улиц[аеуы]|проспект[ае]?|пр-т|переул(?:ок|ке)|пер\.|бульвар[ае]?|б-р|шоссе|набережн(?:ая|ой)|площад(?:ь|и))\s+[\p{L}-]+(?:\s+[\p{L}-]+)?,?\s*(?:(?:дом|д\.)\s*)?\d+[а-яa-z]?(?:\s*,?\s*(?:кв\.|квартира|кв|корпус|корп\.|к\.|строение|стр\.)\s*\d+[а-яa-z]?)*/giu;
/** English street addresses: a house number, a capitalised name and the street type: "221B Baker Street", "1600 Pennsylvania Ave, Apt 4". */
const EN_ADDRESS =
	/(?<![\p{L}\d])\d{1,5}[A-Za-z]?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|Avenue|Road|Boulevard|Lane|Drive|Court|Way|Place|Terrace|Square|(?:St|Ave|Rd|Blvd|Ln|Dr|Ct|Pl|Sq)\b\.?)(?:,?\s*(?:Apt|Apartment|Suite|Unit|Flat)\.?\s*#?\w+)?/gu;

function collect(text: string, pattern: RegExp, kind: PersonalDataKind, keep?: (match: RegExpExecArray) => boolean): Found[] {
	const found: Found[] = [];
	for (const match of text.matchAll(pattern)) {
		if (keep && !keep(match)) continue;
		found.push({ start: match.index, end: match.index + match[0].length, kind });
	}
	return found;
}

function trimUrl(match: RegExpExecArray): RegExpExecArray {
	const trimmed = match[0].replace(/[.,;:!?]+$/, '');
	const copy = Object.assign([trimmed], { index: match.index, input: match.input }) as unknown as RegExpExecArray;
	return copy;
}

/** Every personal datum found, longest first where two overlap. */
function findAll(text: string): Found[] {
	const urls: Found[] = [];
	for (const raw of text.matchAll(URL)) {
		const match = trimUrl(raw);
		if (personalUrl(match[0])) urls.push({ start: match.index, end: match.index + match[0].length, kind: 'url' });
	}
	const spoken: Found[] = [];
	for (const match of text.matchAll(SPOKEN_NUMBER)) {
		const { digits, plus, words } = spokenDigits(match[0]);
		const start = match.index;
		const end = start + match[0].length;
		if (words < 4 || isReference(text, start) || isAmount(text, end)) continue;
		if (/^\d+(?:[\s,-]+\d+)*$/.test(match[0])) continue; // written digits are the written patterns' business
		if (isCounting(digits)) continue;
		if (digits.length >= 13 && digits.length <= 19 && passesLuhn(digits)) spoken.push({ start, end, kind: 'card' });
		else if ((digits.length >= 10 && digits.length <= 15) || (plus && digits.length >= 7)) spoken.push({ start, end, kind: 'phone' });
	}
	return [
		...collect(text, EMAIL, 'email'),
		...collect(text, SPOKEN_EMAIL, 'email', (match) => !NOT_A_MAILBOX.test(match[0])),
		...urls,
		...collect(text, IBAN, 'iban', (match) => isIban(match[0])),
		...collect(text, CARD, 'card', (match) => passesLuhn(match[0].replace(/\D/g, '')) && !isReference(text, match.index)),
		...collect(
			text,
			PHONE,
			'phone',
			(match) => phoneDigits(match[0]) !== null && !isReference(text, match.index) && !isAmount(text, match.index + match[0].length)
		),
		...spoken,
		...collect(text, RU_ADDRESS, 'address'),
		...collect(text, EN_ADDRESS, 'address')
	];
}

/** The text with each personal datum replaced by its placeholder, and the kinds that were found. */
export function redactPatterns(text: string): { text: string; kinds: PersonalDataKind[] } {
	const found = findAll(text).sort((a, b) => a.start - b.start || b.end - a.end);
	let out = '';
	let at = 0;
	const kinds = new Set<PersonalDataKind>();
	for (const item of found) {
		if (item.start < at) continue;
		out += text.slice(at, item.start) + PLACEHOLDER[item.kind];
		at = item.end;
		kinds.add(item.kind);
	}
	return { text: out + text.slice(at), kinds: [...kinds] };
}
