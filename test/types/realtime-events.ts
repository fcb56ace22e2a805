/**
 * Type-level checks of what we send to and read from OpenAI Realtime, compiled by the worker's
 * tsconfig and never run. Each `@ts-expect-error` marks a mistake the SDK's types must refuse: if
 * our events ever widened to `any` or to a hand-written shape, the mistake would compile, the
 * directive would be unused, and the check fails.
 */
import type { RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import { encode, sessionUpdate, truncateItem } from '../../worker/ai/openai-realtime/client-events';
import type { ServerEvents } from '../../worker/ai/openai-realtime/events';

type IsAny<T> = 0 extends 1 & T ? true : false;
type Handled = Parameters<ServerEvents['handle']>[0];

export const sentEventsAreTyped: IsAny<Parameters<typeof encode>[0]> = false;
export const handledEventsAreTyped: IsAny<Handled> = false;
export const sessionUpdateIsTyped: IsAny<ReturnType<typeof sessionUpdate>> = false;

export function sendsOnlyClientEvents() {
	return [
		encode(truncateItem('item_1', 120)),
		// @ts-expect-error a misspelt event type: there is no `response.creat`
		encode({ type: 'response.creat' }),
		// @ts-expect-error a misspelt field: the cut is `audio_end_ms`
		encode({ type: 'conversation.item.truncate', item_id: 'item_1', content_index: 0, audio_end_sm: 120 }),
		// @ts-expect-error the beta protocol's flat session shape is not a GA session
		encode({ type: 'session.update', session: { type: 'realtime', input_audio_format: 'pcm16' } })
	];
}

export function readsOnlyServerEvents(event: RealtimeServerEvent, handle: (event: Handled) => void) {
	handle(event);
	// @ts-expect-error a retired beta event name is not a server event we can be handed
	handle({ type: 'response.audio.delta', event_id: 'e', response_id: 'r', item_id: 'i', output_index: 0, content_index: 0, delta: '' });
	if (event.type === 'response.done') {
		// @ts-expect-error a misspelt field of a narrowed event: the details are `status_details`
		return event.response.status_detail;
	}
	return undefined;
}
