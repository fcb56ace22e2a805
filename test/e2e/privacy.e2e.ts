import { describe, expect } from 'vitest';
import { test } from './fixtures';
import { baseUrl } from './browser';
import { apiRequest } from './helpers/accounts';

/** The Personal data settings on the Context page, a redacted record, and an owner showing the original. */

const SAID = 'Call me on +1 415-555-0132 or write to anna.lee@example.com, I live at 221B Baker Street.';

describe('personal data', () => {
	test('an owner keeps originals, sees a record redacted, shows its original, and the layout holds at 360 px in dark', async ({
		signedIn: { page, problems }
	}) => {
		const project = await apiRequest<{ id: string }>(page, 'POST', '/api/projects', { name: 'Privacy study' });
		await page.goto(`/projects/${project.id}/context`);
		const redact = page.getByRole('switch', { name: 'Redact personal data' });
		const keep = page.getByRole('switch', { name: 'Keep originals for owners and admins' });
		await redact.waitFor();
		await expect.poll(() => redact.getAttribute('aria-checked'), { timeout: 10_000 }).toBe('true');
		expect(await keep.getAttribute('aria-checked')).toBe('false');
		await keep.click();
		await page.getByText('Originals will be kept, encrypted.').waitFor();
		await expect.poll(() => keep.getAttribute('aria-checked'), { timeout: 10_000 }).toBe('true');

		const upload = await page.request.post(`/api/projects/${project.id}/records`, {
			headers: { Origin: baseUrl() },
			multipart: { file: { name: 'call.txt', mimeType: 'text/plain', buffer: Buffer.from(`Respondent: ${SAID}\n`) }, title: 'Call' }
		});
		expect(upload.status()).toBe(201);
		const { id } = (await upload.json()) as { id: string };

		await page.goto(`/records/${id}`);
		await page.getByText('Call me on [phone] or write to [email], I live at [address].').waitFor();
		await page.getByText(/Passes: patterns\./).waitFor();
		await page.getByRole('button', { name: 'Show original' }).click();
		await page.getByText(SAID).waitFor();
		await page.getByText('Showing the original.').waitFor();
		await page.emulateMedia({ colorScheme: 'dark' });
		await page.setViewportSize({ width: 360, height: 800 });
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		await page.getByRole('button', { name: 'Show redacted' }).click();
		await page.getByText('Call me on [phone] or write to [email], I live at [address].').waitFor();

		await page.goto(`/projects/${project.id}/records`);
		await page.getByRole('link', { name: 'Originals (ZIP)' }).waitFor();
		await page.goto(`/projects/${project.id}/context`);
		await redact.click();
		await page.getByText('Personal data will no longer be redacted.').waitFor();
		// With nothing redacted there is nothing to keep an original of: a kept-originals switch can still be turned off, then not on.
		await keep.click();
		await page.getByText('Only redacted transcripts will be kept.').waitFor();
		await expect.poll(() => keep.isDisabled(), { timeout: 10_000 }).toBe(true);
		expect(problems).toEqual([]);
	});
});
